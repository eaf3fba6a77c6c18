"""Countries (ISO 3166-1 alpha-3) and time zones from maintained sources, never a hand list."""

import gettext
import zoneinfo
from functools import cache

import pycountry
from django.utils.translation import get_language


@cache
def _translator(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def country_name(alpha_3: str) -> str:
    """The country's common name in the active language; the code itself when unknown."""
    country = pycountry.countries.get(alpha_3=alpha_3) if alpha_3 else None
    if country is None:
        return alpha_3
    name = getattr(country, "common_name", None) or country.name
    return str(_translator(get_language() or "en").gettext(name))


def country_choices() -> list[tuple[str, str]]:
    """(alpha-3, name) for every ISO 3166-1 country, sorted by name in the active language."""
    pairs = [(c.alpha_3, country_name(c.alpha_3)) for c in pycountry.countries]
    return sorted(pairs, key=lambda pair: pair[1])


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    """Every IANA time zone known to the system's tz database."""
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


def currency_name(alpha_3: str) -> str:
    """The ISO 4217 currency's name in the active language; the code itself when unknown."""
    currency = pycountry.currencies.get(alpha_3=alpha_3) if alpha_3 else None
    if currency is None:
        return alpha_3
    translator = gettext.translation(
        "iso4217", pycountry.LOCALES_DIR, languages=[get_language() or "en"], fallback=True
    )
    return str(translator.gettext(currency.name))


def is_currency(alpha_3: str) -> bool:
    return pycountry.currencies.get(alpha_3=alpha_3) is not None


def currency_choices() -> list[tuple[str, str]]:
    """(code, "code — name") for every ISO 4217 currency, sorted by code."""
    return [(c.alpha_3, f"{c.alpha_3} — {currency_name(c.alpha_3)}") for c in pycountry.currencies]


@cache
def country_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-3 code."""
    return frozenset(c.alpha_3 for c in pycountry.countries)


def is_country(alpha_3: str) -> bool:
    return alpha_3 in country_codes()
