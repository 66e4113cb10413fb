"""Post history and copy-paste detection.

`store` keeps posts in a SQL database (SQLite by default, PostgreSQL by URL) with Alembic migrations run on open;
`index` searches their embeddings with FAISS; `reuse` tells a copy, a light edit and a real adaptation apart;
`cli` holds the `history` and `reuse` verbs. Everything is scoped: a post is never shown outside its workspace,
and a private channel's posts never leave that channel.
"""
