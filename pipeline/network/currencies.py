"""ISO 4217 currencies and their minor units: how many decimals an amount of each may have.

Money in netdocs is exact to its currency's minor unit: euro amounts have cents (2 decimals),
yen amounts are whole (0), dinar amounts of Bahrain or Kuwait have fils (3). An amount finer
than that is refused with the cell named (see :func:`minor_unit_problem`), never rounded
silently: the documents print exact amounts, so every printed total is the sum of its rows.
"""

from __future__ import annotations

import difflib
from decimal import Decimal

_WHOLE = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THOUSANDTHS = "BHD IQD JOD KWD LYD OMR TND"
_TEN_THOUSANDTHS = "CLF UYW"
_HUNDREDTHS = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP "
    "BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR "
    "FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW "
    "KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN "
    "NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD "
    "SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU "
    "UZS VED VES WST XCD XCG YER ZAR ZMW ZWG ZWL"
)

MINOR_UNITS: dict[str, int] = {
    **{code: 0 for code in _WHOLE.split()},
    **{code: 2 for code in _HUNDREDTHS.split()},
    **{code: 3 for code in _THOUSANDTHS.split()},
    **{code: 4 for code in _TEN_THOUSANDTHS.split()},
}
"""ISO 4217 code -> decimals of its minor unit (the exponent). Units of account without a
minor unit (gold XAU, special drawing rights XDR, the testing code XTS...) are not budgets'
currencies and are not listed."""

_UNIT_NAMES = {
    0: "it has no minor unit",
    2: "minor unit of a hundredth, like the cent",
    3: "minor unit of a thousandth",
    4: "minor unit of a ten-thousandth",
}
_COMMON = ("EUR", "USD", "GBP", "CHF", "JPY", "CNY", "INR", "BRL", "ZAR", "AUD", "CAD")
"""Suggested first when a mistyped code is as close to several."""


def is_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 currency code netdocs knows (upper case, e.g. ``EUR``)."""
    return code in MINOR_UNITS


def unknown_currency(code: str) -> str:
    """Why ``code`` is not accepted as a currency, with the closest known code if any."""
    upper = code.upper()
    if upper in MINOR_UNITS:
        return f"write the currency code in capitals: '{upper}'"
    ranked = (*_COMMON, *MINOR_UNITS)
    same_places = [c for c in ranked if sum(a == b for a, b in zip(c, upper, strict=False)) >= 2]
    close = same_places or difflib.get_close_matches(upper, ranked, n=1)
    hint = f"did you mean '{close[0]}'?" if close else "e.g. EUR, USD, JPY"
    return f"unknown currency code '{code}': not an ISO 4217 currency ({hint})"


def decimals(amount: Decimal) -> int:
    """How many decimals ``amount`` is written with (``37000.50`` -> 2, ``1E+3`` -> 0)."""
    exponent = amount.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def significant_decimals(amount: Decimal) -> int:
    """Decimals that carry a value: ``37000.50`` -> 1, ``85000.00`` -> 0."""
    return decimals(amount.normalize()) if amount else 0


def canonical(amount: Decimal, places: int | None = None) -> Decimal:
    """``amount`` in one written form: with ``places`` decimals (a currency's minor unit), or
    else without trailing zeros; never in exponent notation, never ``-0``.

    ``places`` must not cut a significant digit (check :func:`minor_unit_problem` first).
    """
    if not amount:
        amount = abs(amount)
    if places is not None:
        return amount.quantize(Decimal(1).scaleb(-places))
    normal = amount.normalize()
    return normal.quantize(Decimal(1)) if decimals(normal) == 0 else normal


def minor_unit_problem(amount: Decimal, currency: str) -> str | None:
    """Why ``amount`` is finer than ``currency`` allows, or ``None`` when it is exact."""
    places = MINOR_UNITS.get(currency)
    if places is None:
        return None
    used = significant_decimals(amount)
    if used <= places:
        return None
    text = format(amount, "f")
    whole, _, fraction = text.partition(".")
    hint = ""
    if len(whole.lstrip("-")) <= 3 and len(fraction) == 3:  # 1.234 meant as one thousand...
        hint = f"; if the point separates thousands, write {whole}{fraction}"
    allowed = "no decimals" if places == 0 else f"at most {places}"
    return (
        f"{text} {currency} has {used} decimal{'s' * (used > 1)}, but {currency} amounts have "
        f"{allowed} (ISO 4217: {_UNIT_NAMES[places]}); money is exact to the minor unit and "
        f"never rounded: correct the amount{hint}"
    )
