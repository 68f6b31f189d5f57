"""The async Omnitron client. No Qt here: the app, the command line and the tests share it."""

from omnidesk.kinds import ListKind

from .client import (
    ListContents,
    ListFilters,
    ListResource,
    OmnitronClient,
    PriceLists,
    ProductPrices,
    ProductStocks,
    StockLists,
)
from .contract import CURRENCIES, CURRENCY_NAMES, DEFAULT_CURRENCY, ImportState
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
    AnyContents,
    AnyList,
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
    "AnyContents",
    "AnyList",
    "AuthenticationRequired",
    "ImportRowError",
    "ImportState",
    "ImportStatus",
    "ListContents",
    "ListFilters",
    "ListKind",
    "ListResource",
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
