"""The party rules as pure functions over plain values. Each function cites its rule id in domain/RULES.md."""
