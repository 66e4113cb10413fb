"""Analysis: principles with evidence, platform-culture fit and anti-patterns, learned from the knowledge base."""
