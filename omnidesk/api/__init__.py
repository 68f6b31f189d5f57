"""The async Omnitron client. No Qt here: the app, the command line and the tests share it."""

from omnidesk.kinds import ListKind

from .client import OmnitronClient
from .contract import CURRENCIES, CURRENCY_NAMES, DEFAULT_CURRENCY, ImportState
from .errors import (
    AuthenticationRequired,
    CodeRefused,
    ImportStatusUnclear,
    NotFound,
    OmnitronError,
    PagingBroken,
    PermissionDenied,
    ServerError,
    ServerUnreachable,
    SignInNotFound,
    TwoFactorRequired,
    UnexpectedResponse,
    ValidationFailed,
)
from .facts import FactsKeeper, ServerFacts
from .list_filters import ListFilters
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
from .resources import (
    ListContents,
    ListResource,
    PriceLists,
    ProductPrices,
    ProductStocks,
    StockLists,
)
from .transport import Retrying, RetryPolicy

__all__ = [
    "CURRENCIES",
    "CURRENCY_NAMES",
    "DEFAULT_CURRENCY",
    "AnyContents",
    "AnyList",
    "AuthenticationRequired",
    "CodeRefused",
    "FactsKeeper",
    "ImportRowError",
    "ImportState",
    "ImportStatus",
    "ImportStatusUnclear",
    "ListContents",
    "ListFilters",
    "ListKind",
    "ListResource",
    "NotFound",
    "OmnitronClient",
    "OmnitronError",
    "Page",
    "PagingBroken",
    "PermissionDenied",
    "PriceList",
    "PriceLists",
    "Product",
    "ProductPrice",
    "ProductPrices",
    "ProductStock",
    "ProductStocks",
    "RetryPolicy",
    "Retrying",
    "ServerError",
    "ServerFacts",
    "ServerUnreachable",
    "SignInNotFound",
    "StockList",
    "StockLists",
    "TwoFactorRequired",
    "UnexpectedResponse",
    "ValidationFailed",
]
