def test_providers_are_imported_in_order_only_while_asked_to() -> None:
    from db import findings

    asked: list[int] = []

    def go_on() -> bool:
        asked.append(len(asked))
        return len(asked) <= 2

    assert findings.load_providers_while(go_on) == 2
    assert len(asked) == 3, "asked before each module, and not after the first no"
    assert findings.load_providers_while(lambda: True) == len(findings.PROVIDER_MODULES)
