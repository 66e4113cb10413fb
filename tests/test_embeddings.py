"""The embedder's arithmetic: bfloat16 only where the CPU has it (or when asked), and cached results keyed by it."""

import numpy as np
import pytest

from bot import embeddings
from bot.embeddings import Embedder, resolve_precision


@pytest.mark.parametrize("native", [True, False])
def test_auto_follows_the_cpu_and_forced_values_win(monkeypatch, native):
    monkeypatch.setattr(embeddings, "native_bf16", lambda: native)
    assert resolve_precision("auto", "cpu") == ("bfloat16" if native else "float32")
    assert resolve_precision("auto", "cuda") == "float32"  # autocast on CPU only; a GPU keeps its own defaults
    assert resolve_precision("float32", "cpu") == "float32"
    assert resolve_precision("bfloat16", "cpu") == "bfloat16"


def test_cached_results_are_keyed_by_arithmetic(tmp_path):
    f32 = Embedder("some-model", cache_dir=tmp_path, precision="float32")
    bf16 = Embedder("some-model", cache_dir=tmp_path, precision="bfloat16")
    assert f32.cache_name == "some-model" and bf16.cache_name == "some-model@bfloat16"
    f32.encode = lambda texts: np.ones((len(texts), 3), dtype=np.float32)
    bf16.encode = lambda texts: np.zeros((len(texts), 3), dtype=np.float32)
    f32.encode_cached(["a", "b"], "kb")
    assert bf16.encode_cached(["a", "b"], "kb").sum() == 0  # not the float32 file
    assert len(list(tmp_path.glob("kb-*.npy"))) == 2


def test_bfloat16_vectors_match_float32():
    """Where bfloat16 is native, the model's vectors agree with float32 to four decimals (why auto may use it)."""
    if not embeddings.native_bf16():
        pytest.skip("this CPU has no native bfloat16")
    texts = ["Only 50 seats left for Thursday's workshop.", "Merci à toutes les bénévoles de samedi !"]
    f32 = Embedder(embeddings.PACKAGED_MODEL, precision="float32").encode(texts)
    bf16 = Embedder(embeddings.PACKAGED_MODEL, precision="bfloat16").encode(texts)
    assert bf16.dtype == np.float32
    assert (f32 * bf16).sum(axis=1).min() > 0.999


@pytest.mark.parametrize("asked, served", [("auto", "float32"), ("bfloat16", "bfloat16"), ("float32", "float32")])
def test_a_server_keeps_float32_unless_asked(asked, served):
    """bfloat16 kernels kept per input shape grew a server's memory (bench_memory): `serve` stays in float32."""
    from bot.config import load_settings
    from bot.slack.server import tune_for_serving

    settings = load_settings(None)
    settings.models.precision = asked
    tune_for_serving(settings)
    assert settings.models.precision == served
