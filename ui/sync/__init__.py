"""The panels of the 数据交换 page (ui/pages/sync.py assembles them by the register's mode):
``export`` (to the USB stick), ``import_tab`` (bundles in), ``keys`` (fingerprints and the
liaison starter file), ``liaison_setup`` (first run on a liaison's laptop), ``views``
(conflicts, bundle history, cross-township petitioners) and ``widgets`` (what they share)."""
