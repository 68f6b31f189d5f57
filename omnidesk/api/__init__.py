"""The async Omnitron client. No Qt here: the app, the command line and the tests share it."""

from .client import OmnitronClient, PriceLists, ProductPrices, ProductStocks, StockLists
from .contract import CURRENCIES, CURRENCY_NAMES, DEFAULT_CURRENCY, ImportState, ListKind
from .errors import (
    AuthenticationRequired,
    NotFound,
    OmnitronError,
    PermissionDenied,
    ServerError,
    ServerUnreachable,
    SignInNotFound,
    UnexpectedResponse,
    ValidationFailed,
)
from .models import (
    ImportRowError,
    ImportStatus,
    Page,
    PriceList,
    Product,
    ProductPrice,
    ProductStock,
    StockList,
)
from .transport import RetryPolicy

__all__ = [
    "CURRENCIES",
    "CURRENCY_NAMES",
    "DEFAULT_CURRENCY",
    "AuthenticationRequired",
    "ImportRowError",
    "ImportState",
    "ImportStatus",
    "ListKind",
    "NotFound",
    "OmnitronClient",
    "OmnitronError",
    "Page",
    "PermissionDenied",
    "PriceList",
    "PriceLists",
    "Product",
    "ProductPrice",
    "ProductPrices",
    "ProductStock",
    "ProductStocks",
    "RetryPolicy",
    "ServerError",
    "ServerUnreachable",
    "SignInNotFound",
    "StockList",
    "StockLists",
    "UnexpectedResponse",
    "ValidationFailed",
]
