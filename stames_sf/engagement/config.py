"""The engagement file `stames-sf run --config FILE` reads: one TOML file naming the work folder, the
Stames source, the Salesforce connection, the thresholds and the steps to run, validated with
pydantic so a mistake is named with its place in the file.

Relative paths are relative to the file's own folder, so the file works from any directory. The
Stames API key is never in the file: it comes from the environment variable the file names
(`api_key_env`), or from dlt's providers (`SOURCES__STAMES__API_KEY`, `.dlt/secrets.toml`).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import (
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from loaders.reconcile.sample import DEFAULT_SAMPLE, MAX_SAMPLE, MIN_SAMPLE

Step = Literal[
    "extract",
    "discover",
    "map",
    "schema",
    "transform",
    "validate",
    "users",
    "load",
    "reconcile",
    "delta",
    "handoff",
]
STEP_ORDER: tuple[Step, ...] = get_args(Step)
"""The order steps run in, whatever order the file lists them in."""
DEFAULT_STEPS: tuple[Step, ...] = tuple(step for step in STEP_ORDER if step != "delta")
"""Everything up to the handoff; the cutover delta is asked for by name."""
ENV_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"


class ConfigError(Exception):
    """The engagement file cannot be used; the message names the file and every problem in it."""


class StamesSource(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    base_url: AnyHttpUrl | None = None
    """The API root (`https://acme.stames.app/api/v1`); default: `SOURCES__STAMES__BASE_URL`."""
    api_key_env: str | None = Field(default=None, pattern=ENV_NAME_PATTERN)
    """The environment variable holding the API key; default: dlt's `sources.stames.api_key`."""

    @model_validator(mode="before")
    @classmethod
    def _no_key_in_file(cls, data: Any) -> Any:
        if isinstance(data, dict) and "api_key" in data:
            raise ValueError(
                "the Stames API key never goes in this file: name the environment variable that "
                'holds it (api_key_env = "STAMES_API_KEY"), or set SOURCES__STAMES__API_KEY or '
                ".dlt/secrets.toml"
            )
        return data


class SalesforceTarget(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    connection: Path | None = None
    """The connection file (instance_url, access_token, api_version, ca_file); default: the local
    org's in the work folder, or an OAuth login from `[salesforce.credentials]` in .dlt/secrets.toml."""
    target: Literal["sandbox", "production"] = "sandbox"
    accept_automation: bool = False
    """Load even though Case automation would fire for the loading user (`load --accept-automation`)."""


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    failed_files: int = Field(default=0, ge=0)
    """Attachments that may end `failed` before extract stops the run."""
    failure_threshold: float = Field(default=0.10, ge=0.0, le=1.0)
    """Share of failed records in a load phase that stops the run before its children."""
    budget_share: float = Field(default=0.8, gt=0.0, le=1.0)
    """Share of the org's remaining daily API calls the load may use."""
    sample: int = Field(default=DEFAULT_SAMPLE, ge=MIN_SAMPLE, le=MAX_SAMPLE)
    """Cases reconcile compares field by field."""


class EngagementConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    work: Path
    steps: tuple[Step, ...] = DEFAULT_STEPS
    stames: StamesSource = StamesSource()
    salesforce: SalesforceTarget = SalesforceTarget()
    thresholds: Thresholds = Thresholds()

    @field_validator("steps")
    @classmethod
    def _steps_once_each(cls, steps: tuple[Step, ...]) -> tuple[Step, ...]:
        if not steps:
            raise ValueError(f"name at least one step of: {', '.join(STEP_ORDER)}")
        repeated = sorted({step for step in steps if steps.count(step) > 1})
        if repeated:
            raise ValueError(f"each step once: {', '.join(repeated)} listed more than once")
        return steps

    @property
    def ordered_steps(self) -> tuple[Step, ...]:
        return tuple(step for step in STEP_ORDER if step in self.steps)

    def resolved(self, folder: Path) -> EngagementConfig:
        """Relative paths made absolute against `folder` (the file's own)."""
        connection = self.salesforce.connection
        salesforce = self.salesforce.model_copy(
            update={"connection": _under(folder, connection) if connection else None}
        )
        return self.model_copy(update={"work": _under(folder, self.work), "salesforce": salesforce})


def _under(folder: Path, path: Path) -> Path:
    return (path if path.is_absolute() else folder / path).resolve()


def load_config(path: Path) -> EngagementConfig:
    """The file at `path`, parsed and validated, its relative paths resolved; `ConfigError` else."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"Cannot read the engagement file {path}: {error.strerror or error}") from None
    try:
        content = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from None
    try:
        config = EngagementConfig.model_validate(content)
    except ValidationError as error:
        raise ConfigError(config_problems(path, error)) from None
    return config.resolved(path.resolve().parent)


def config_problems(path: Path, error: ValidationError) -> str:
    """Every problem pydantic found, one line each, by its dotted place in the file."""
    lines = [f"{path} is not a valid engagement file:"]
    for problem in error.errors():
        place = ".".join(str(part) for part in problem["loc"]) or "(the file)"
        message = str(problem["msg"]).removeprefix("Value error, ")
        lines.append(f"  {place}: {message}")
    return "\n".join(lines)
