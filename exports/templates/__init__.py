"""One module per standard template; each calls exports.registry.register()."""
