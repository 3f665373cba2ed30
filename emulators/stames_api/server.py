"""Everything one running server holds: settings, clock, dataset store, signers and throttle."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from emulators.stames_api.clock import Clock
from emulators.stames_api.cursors import CursorCodec
from emulators.stames_api.ratelimit import Throttle
from emulators.stames_api.settings import StamesSettings
from emulators.stames_api.signing import UrlSigner
from emulators.stames_api.store import Store


@dataclass
class Server:
    """Shared by all handlers; `store` is swapped whole on /__admin/reset."""

    dataset_dir: Path
    settings: StamesSettings
    clock: Clock
    codec: CursorCodec
    signer: UrlSigner
    throttle: Throttle
    store: Store

    @classmethod
    def start(cls, dataset_dir: Path, settings: StamesSettings) -> Server:
        return cls(
            dataset_dir=dataset_dir,
            settings=settings,
            clock=Clock(settings.now),
            codec=CursorCodec(settings.seed, settings.cursor_ttl_seconds),
            signer=UrlSigner(settings.seed, settings.url_ttl_seconds),
            throttle=Throttle(
                settings.rate_limit_rps,
                settings.download_rps,
                fault_429_rate=settings.fault_429_rate,
                fault_503_every_n=settings.fault_503_every_n,
                fault_file_503_rate=settings.fault_file_503_rate,
                fault_truncate_every_n=settings.fault_truncate_every_n,
                fault_file_truncate_every_n=settings.fault_file_truncate_every_n,
                httpdate_rate=settings.retry_after_httpdate_rate,
                seed=settings.seed,
            ),
            store=Store.load(dataset_dir),
        )

    def reload(self) -> None:
        """Back to the dataset as it is on disk (drops every admin mutation)."""
        self.store = Store.load(self.dataset_dir)
