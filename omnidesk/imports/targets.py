"""Which list an import goes to: the target, and finding it from what a person typed."""

from __future__ import annotations

from dataclasses import dataclass

from omnidesk import kinds
from omnidesk.api import AnyList, ListKind, NotFound
from omnidesk.api.session import Session
from omnidesk.i18n import _


@dataclass(frozen=True)
class ImportTarget:
    kind: ListKind
    pk: int
    name: str
    currency: str | None = None  # lists of a kind with a currency only
    code: str | None = None

    @classmethod
    def of(cls, row: AnyList) -> ImportTarget:
        return cls(row.kind, row.pk, row.name, row.currency, row.code)

    @property
    def noun(self) -> str:
        return kinds.info(self.kind).noun


def _NO_CODE() -> str:
    return _("there is no {noun} with the code “{code}” on {where}.")


class ListNotFound(Exception):
    """The reference names no list, or two: the sentence says which and what to write."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


PK_PREFIX = "pk:"
CODE_PREFIX = "code:"


async def find_list(session: Session, kind: ListKind, ref: str) -> ImportTarget:
    """The list named by ``--list``: ``pk:N``, ``code:X``, or bare digits or a code.

    ERP codes are often digits ("2024", "1"), so bare digits are looked up both
    as a pk and as an exact code. When they name two different lists the command
    stops rather than guess: importing into the wrong list overwrites its prices.
    """
    noun = kinds.info(kind).noun
    where = session.client.base_url

    async def by_pk(pk: str) -> AnyList | None:
        try:
            found: AnyList = await session.run(lambda c: c.lists(kind).get(int(pk)))
        except NotFound:
            return None
        return found

    async def by_code(code: str) -> AnyList | None:
        if not code.strip():
            raise ListNotFound(_("--list needs the list's number or code; it was empty."))
        page = await session.run(lambda c: c.lists(kind).list(code_exact=code, limit=2))
        # A server that ignores an unusable filter answers with every list: check the code.
        matching = [row for row in page.results if row.code == code]
        return matching[0] if matching else None

    if ref.startswith(PK_PREFIX):
        pk = ref.removeprefix(PK_PREFIX).strip()
        if not (pk.isascii() and pk.isdigit()):
            raise ListNotFound(
                _("--list {ref}: after “pk:” write the list's number, e.g. pk:12.").format(ref=ref)
            )
        found = await by_pk(pk)
        if found is None:
            raise ListNotFound(
                _("there is no {noun} with pk {pk} on {where}.").format(
                    noun=noun, pk=pk, where=where
                )
            )
        return ImportTarget.of(found)
    if ref.startswith(CODE_PREFIX):
        code = ref.removeprefix(CODE_PREFIX)
        found = await by_code(code)
        if found is None:
            raise ListNotFound(_NO_CODE().format(noun=noun, code=code, where=where))
        return ImportTarget.of(found)
    if not (ref.isascii() and ref.isdigit()):  # "²" and "١" are digits to str.isdigit
        found = await by_code(ref)
        if found is None:
            raise ListNotFound(_NO_CODE().format(noun=noun, code=ref, where=where))
        return ImportTarget.of(found)

    with_pk, with_code = await by_pk(ref), await by_code(ref)
    if with_pk is not None and with_code is not None and with_pk.pk != with_code.pk:
        raise ListNotFound(
            _(
                "--list {ref} could mean two {plural}: “{first}” (pk {first_pk}) and "
                "“{second}” (code “{code}”, pk {second_pk}). Write --list pk:{ref} for the "
                "first or --list code:{ref} for the second."
            ).format(
                ref=ref,
                plural=kinds.info(kind).plural,
                first=with_pk.name,
                first_pk=with_pk.pk,
                second=with_code.name,
                code=with_code.code,
                second_pk=with_code.pk,
            )
        )
    found = with_pk or with_code
    if found is None:
        raise ListNotFound(
            _("there is no {noun} with pk {ref} or the code “{ref}” on {where}.").format(
                noun=noun, ref=ref, where=where
            )
        )
    return ImportTarget.of(found)
