"""Matching engine: Chinese tokenisation, BM25 ranking, explanations (pure, no Django)."""
