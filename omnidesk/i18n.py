"""Every sentence a person sees goes through here, in the language they read.

gettext, because most sentences are born where Qt may not be imported (the
checker's findings, the client's errors, the command line). English is the
source; the catalogues are ``resources/locale/<lang>/LC_MESSAGES/omnidesk.po``,
compiled to ``.mo`` by the build (hatch_build.py). The window adds Qt's own
catalogue for its standard buttons and dialogs (ui/translations.py).

    from omnidesk.i18n import _, n_, N_
    _("The server is busy.")                       # a sentence, translated now
    n_("{count} row", "{count} rows", count)       # with the plural the language needs
    WORDS = N_("price list")                       # marked for the catalogue; _() it when shown

``_`` looks the sentence up when it is called, so a module may import it before
the language is chosen. The command line follows ``LANGUAGE``/``LC_ALL``/
``LC_MESSAGES``/``LANG``; the window, the language setting of its Preferences.
"""

from __future__ import annotations

import gettext
import os
from decimal import Decimal

from omnidesk.resources import resource_path

DOMAIN = "omnidesk"
SOURCE_LANGUAGE = "en"
# The languages OmniDesk speaks, each with its name as its speakers write it.
LANGUAGES = {"en": "English", "tr": "Türkçe"}
# Not a language: every translated sentence comes out as ⟦sentence⟧, so a test (or a
# developer's eye on a screenshot) sees at once the text that never went through _().
PSEUDO = "pseudo"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = SOURCE_LANGUAGE


def system_language() -> str:
    """The first of the environment's languages that OmniDesk speaks, else English."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        for entry in value.split(":"):
            code = entry.split(".")[0].split("@")[0].split("_")[0].lower()
            if code in LANGUAGES:
                return code
            if code and code not in ("c", "posix"):
                break  # the person chose a language we do not speak: English, not the next
        if value:
            break
    return SOURCE_LANGUAGE


def set_language(language: str | None = None) -> str:
    """Speak ``language`` (a code of LANGUAGES), or the system's when None; returns the code."""
    global _translation, _language
    code = language if language in LANGUAGES or language == PSEUDO else system_language()
    if code == PSEUDO:
        _translation = _Bracketed()
    elif code == SOURCE_LANGUAGE:
        _translation = gettext.NullTranslations()
    else:
        _translation = gettext.translation(
            DOMAIN, str(resource_path("locale")), languages=[code], fallback=True
        )
    _language = code
    return code


class _Bracketed(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return f"⟦{message}⟧"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return f"⟦{msgid1 if n == 1 else msgid2}⟧"


def language() -> str:
    """The code of the language spoken now ("en", "tr")."""
    return _language


def _(message: str) -> str:
    return _translation.gettext(message)


def n_(singular: str, plural: str, count: int) -> str:
    """The form for ``count`` (format it in afterwards: ``.format(count=…)``)."""
    return _translation.ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks a sentence for the catalogue without translating it yet (module constants)."""
    return message


def number(value: int | float | Decimal) -> str:
    """A count or a figure as the language writes it: 1,234,567 or 1.234.567."""
    from babel.numbers import format_decimal  # on first use: the CLI starts faster without

    return str(format_decimal(value, locale=_number_locale()))


def amount(value: Decimal) -> str:
    """Money, always with its two decimals: 1,709.90 or 1.709,90. Never through float."""
    from babel.numbers import format_decimal

    return str(format_decimal(value, format="#,##0.00", locale=_number_locale()))


def decimal_mark() -> str:
    """The language's decimal separator: "." in English, "," in Turkish."""
    from babel.numbers import get_decimal_symbol

    return str(get_decimal_symbol(_number_locale()))


def percent(value: int | float | Decimal) -> str:
    """A share as the language writes it: "6 %" in English, "%6" in Turkish."""
    return _("{number} %").format(number=number(value))


def capitalized(text: str) -> str:
    """``text`` with its first letter in capitals and the rest untouched (a SKU or a
    name inside stays as it is); in Turkish i becomes İ, which str.upper() gets wrong."""
    if not text:
        return text
    first = text[0]
    if _language == "tr" and first in "iı":
        first = "İ" if first == "i" else "I"
    return first.upper() + text[1:]


def _number_locale() -> str:
    return SOURCE_LANGUAGE if _language == PSEUDO else _language


set_language()
