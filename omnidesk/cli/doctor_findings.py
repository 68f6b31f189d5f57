"""What `omnidesk doctor` says of each of the contract's variants a server showed: a
Finding per variant, its status (the contract's primary, a variant OmniDesk copes with,
…) and a sentence, from the reads of api/survey.py and the way the command signed in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from omnidesk import kinds
from omnidesk.api import ServerFacts, contract
from omnidesk.api.survey import Survey
from omnidesk.i18n import _, n_

from .connection import BY_TOKEN_VARIABLE
from .signing_in import SignedIn
from .where import TOKEN_VARIABLE

# What a finding says of the server (the JSON's "status").
PRIMARY = "primary"  # the contract's primary column
VARIANT = "variant"  # an alternative of the contract's table: OmniDesk copes with it
LIMITED = "limited"  # OmniDesk works, with something less (a kind it may not see…)
NOT_SEEN = "not_seen"  # no read can show it
PROBLEM = "problem"  # OmniDesk cannot work with this


def status_words() -> dict[str, str]:
    return {
        PRIMARY: _("usual"),
        VARIANT: _("variant"),
        LIMITED: _("limited"),
        NOT_SEEN: _("not seen"),
        PROBLEM: _("PROBLEM"),
    }


@dataclass(frozen=True)
class Finding:
    variant: str | None  # "V1" … "V10" of the contract's table; None: outside it
    topic: str  # an English key: "error_envelope", "ordering", …
    status: str  # PRIMARY, VARIANT, LIMITED, NOT_SEEN or PROBLEM
    seen: Any  # what was seen, as a plain value ("code", 50, true), or None
    message: str


def findings(found: Survey, signed: SignedIn) -> list[Finding]:
    return [
        *_lists(found),
        _envelope(found),
        _ordering(found.facts),
        _skus(found),
        _page_size(found),
        _sign_in(signed),
        _permissions(found),
        _identity(found),
        _decimals(found),
        Finding(
            "V9",
            "upload_answer",
            NOT_SEEN,
            None,
            _(
                "What the server answers to an upload (200, 201 or 202) can only be seen by "
                "importing a file; OmniDesk follows any 2xx answer that carries a cache_key."
            ),
        ),
        Finding(
            "V10",
            "import_status",
            NOT_SEEN,
            None,
            _(
                "How the server reports an import's progress cannot be seen without an "
                "import. The status by cache_key is OmniDesk's own guess ([ours] in the API "
                "contract): a status it does not understand gets a progress bar without "
                "figures and, after {minutes} minutes, a sentence asking to check the list in "
                "Omnitron."
            ).format(minutes=f"{contract.UNCLEAR_STATUS_PATIENCE / 60:.0f}"),
        ),
        _catalogue(found),
    ]


def _lists(found: Survey) -> list[Finding]:
    seen = []
    readable = [lists for lists in found.lists if lists.count is not None]
    for lists in found.lists:
        entry = kinds.info(lists.kind)
        if lists.count is None:
            status = LIMITED if readable else PROBLEM
            message = lists.refused or ""
        else:
            status = PRIMARY
            message = n_(
                "{count} {noun} can be seen.", "{count} {plural} can be seen.", lists.count
            ).format(count=f"{lists.count:,}", noun=entry.noun, plural=entry.plural)
        seen.append(Finding(None, f"{lists.kind.value}s", status, lists.count, message))
    return seen


def _envelope(found: Survey) -> Finding:
    both = _("OmniDesk reads both envelopes.")
    if found.envelope == "code":
        status, message = (
            VARIANT,
            _(
                "Errors carry their code as “code”, with every message in a list (V1's "
                "alternative)."
            ),
        )
    elif found.envelope == "error_code":
        status, message = (
            PRIMARY,
            _("Errors carry their code as “error_code”, the contract's primary envelope."),
        )
    elif found.envelope == contract.NO_ERROR_CODE:
        status, message = (
            PRIMARY,
            _(
                "A wrong filter value was refused with the field's message and no error code, "
                "as the primary envelope refuses a field."
            ),
        )
    else:
        status, message = (
            NOT_SEEN,
            _(
                "A wrong filter value was not refused, so the error envelope cannot be seen "
                "without changing something."
            ),
        )
    return Finding("V1", "error_envelope", status, found.envelope, f"{message} {both}")


def _ordering(facts: ServerFacts) -> Finding:
    if facts.sorts is False:
        return Finding(
            "V2",
            "ordering",
            VARIANT,
            "ignored",
            _(
                "The server does not sort lists: with sort= and with ordering= the rows came "
                "back in its own order (V2's alternative). OmniDesk sorts them itself after "
                "reading every page."
            ),
        )
    if facts.ordering_word == "ordering":
        return Finding(
            "V2",
            "ordering",
            VARIANT,
            "ordering",
            _(
                "Lists are sorted with ordering=, not sort= (V2's alternative); OmniDesk asks "
                "with ordering= here."
            ),
        )
    if facts.ordering_word == "sort":
        return Finding(
            "V2",
            "ordering",
            PRIMARY,
            "sort",
            _("Lists are sorted with sort=, checked on the rows that came back."),
        )
    return Finding(
        "V2",
        "ordering",
        NOT_SEEN,
        None,
        _(
            "There are too few lists to tell whether the server sorts them; OmniDesk checks "
            "the order of every answer anyway."
        ),
    )


def _skus(found: Survey) -> Finding:
    source = found.facts.sku_source
    if found.rows_problem is not None:
        return Finding(
            "V3",
            "skus",
            PROBLEM,
            None,
            _("The rows of a list cannot be read: {why}").format(why=found.rows_problem),
        )
    if found.rows_read == 0:
        return Finding(
            "V3",
            "skus",
            NOT_SEEN,
            None,
            _("No list has rows yet, so where the rows' SKUs come from cannot be seen."),
        )
    if found.rows_without_sku:
        return Finding(
            "V3",
            "skus",
            PROBLEM,
            source,
            n_(
                "{count} of {total} row read has no SKU: neither /api/i1/ nor the catalogue "
                "names its product. OmniDesk cannot compare a file with such a list.",
                "{count} of {total} rows read have no SKU: neither /api/i1/ nor the catalogue "
                "names their products. OmniDesk cannot compare a file with such a list.",
                found.rows_without_sku,
            ).format(count=f"{found.rows_without_sku:,}", total=f"{found.rows_read:,}"),
        )
    if source == contract.SKUS_FROM_PRODUCTS:
        return Finding(
            "V3",
            "skus",
            VARIANT,
            source,
            _(
                "/api/i1/ gives no SKUs here, so they come from the catalogue "
                "(/api/v1/products/), in batches (V3's alternative)."
            ),
        )
    if source == contract.SKUS_FROM_V1:
        return Finding(
            "V3",
            "skus",
            VARIANT,
            source,
            _("The v1 rows carry their SKUs themselves; OmniDesk uses them."),
        )
    return Finding(
        "V3",
        "skus",
        PRIMARY,
        source,
        _(
            "Rows name their product by pk, and their SKUs come from /api/i1/, the contract's "
            "primary."
        ),
    )


def _page_size(found: Survey) -> Finding:
    cap = found.facts.page_cap
    if cap is not None:
        return Finding(
            "V4",
            "page_size",
            VARIANT,
            cap,
            n_(
                "Pages hold at most {count} row, whatever is asked for (V4's alternative); "
                "OmniDesk reads more pages.",
                "Pages hold at most {count} rows, whatever is asked for (V4's alternative); "
                "OmniDesk reads more pages.",
                cap,
            ).format(count=f"{cap:,}"),
        )
    if found.page_served is not None and found.page_served >= found.page_asked:
        return Finding(
            "V4",
            "page_size",
            PRIMARY,
            None,
            _("Pages of {count} rows were served as asked.").format(count=f"{found.page_asked:,}"),
        )
    return Finding(
        "V4",
        "page_size",
        NOT_SEEN,
        None,
        _(
            "No answer was long enough to show a cap on page sizes; OmniDesk takes whatever "
            "page size the server gives."
        ),
    )


def _sign_in(signed: SignedIn) -> Finding:
    if signed.two_factor:
        return Finding(
            "V5",
            "sign_in",
            VARIANT,
            "two_steps",
            _(
                "This account signs in in two steps, with a 6-digit code after the password "
                "(V5's alternative); OmniDesk asks for the code and never keeps it."
            ),
        )
    if signed.two_factor is False:
        return Finding(
            "V5",
            "sign_in",
            PRIMARY,
            "token_at_once",
            _("The password gave a token at once, with no 6-digit code."),
        )
    if signed.how == BY_TOKEN_VARIABLE:
        said = _(
            "Signed in with the token in {variable}, so whether the account needs a 6-digit "
            "code was not seen."
        )
    else:
        said = _(
            "Signed in with the saved sign-in, so whether the account needs a 6-digit code "
            "was not seen."
        )
    return Finding("V5", "sign_in", NOT_SEEN, None, said.format(variable=TOKEN_VARIABLE))


def _permissions(found: Survey) -> Finding:
    return Finding(
        "V6",
        "permissions",
        NOT_SEEN,
        None,
        _(
            "Which lists this account may change cannot be seen without changing one. A "
            "refused change is said in a sentence that names it, and nothing typed is lost."
        ),
    )


def _identity(found: Survey) -> Finding:
    lists = found.lists_identity
    if lists is None:
        return Finding(
            "V7",
            "identity",
            NOT_SEEN,
            None,
            _("No list was read, so what objects' identity is called cannot be seen."),
        )
    if found.rows_identity is not None:
        message = _("Lists are identified by “{lists}”, their rows by “{rows}”.").format(
            lists=lists, rows=found.rows_identity
        )
    else:
        message = _("Lists are identified by “{lists}”.").format(lists=lists)
    if lists == "id":
        message += " " + _("That is V7's alternative; OmniDesk reads pk or id on every object.")
    else:
        message += " " + _("OmniDesk reads pk or id on every object.")
    return Finding("V7", "identity", VARIANT if lists == "id" else PRIMARY, lists, message)


def _decimals(found: Survey) -> Finding:
    if found.decimals == contract.DECIMALS_AS_NUMBERS:
        return Finding(
            "V8",
            "decimals",
            VARIANT,
            found.decimals,
            _(
                "Amounts come as JSON numbers (10, 10.5), not strings (V8's alternative); "
                "OmniDesk reads each as the decimal it spells (exact up to 15 digits, "
                "more than any amount has)."
            ),
        )
    if found.decimals == contract.DECIMALS_AS_STRINGS:
        return Finding(
            "V8",
            "decimals",
            PRIMARY,
            found.decimals,
            _("Amounts come as strings (“10.00”), the contract's primary."),
        )
    return Finding(
        "V8",
        "decimals",
        NOT_SEEN,
        None,
        _("No price was read, so how amounts are written cannot be seen."),
    )


def _catalogue(found: Survey) -> Finding:
    if found.catalogue is None:
        return Finding(
            None,
            "catalogue",
            LIMITED,
            None,
            _(
                "The catalogue does not answer: {why} OmniDesk cannot tell before an import "
                "which SKUs of a file the server lacks; the server refuses those rows itself."
            ).format(why=found.catalogue_problem or ""),
        )
    return Finding(
        None,
        "catalogue",
        PRIMARY,
        found.catalogue,
        n_(
            "The catalogue has {count} product.",
            "The catalogue has {count} products.",
            found.catalogue,
        ).format(count=f"{found.catalogue:,}"),
    )
