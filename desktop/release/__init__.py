"""The release build: the frozen app, Linux packages, checksums and OpenPGP signatures.

``python -m desktop.release [--out DIR]`` builds; ``python -m desktop.release verify DIR`` checks a
download. Each module has one job: :mod:`.freeze` (PyInstaller), :mod:`.tarball`, :mod:`.debian`
(the .deb and its ``Depends:``), :mod:`.checksums`, :mod:`.signing`, :mod:`.verify`, and
:mod:`.smoke` (starting the frozen binary headless, for CI).
"""
