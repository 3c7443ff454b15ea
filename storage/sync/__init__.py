"""Sync bundles (docs/architecture.md §5): a station's monthly changes on a USB stick to the county, a
liaison laptop's screenings to the township, and the county's 交办/督办 down to a township.

Modules, each with one job:

- ``crypto``      Ed25519 / X25519+HKDF+ChaCha20-Poly1305 / scrypt, fingerprints
- ``keys``        this register's keys, public key files, the peers registry
- ``signkey``     the signing key at rest: sealed, one slot per account that may export
- ``fileformat``  the bytes of a bundle file and its FAT32-safe name
- ``manifest``    the signed, readable front page of a bundle
- ``payload``     records and audit entries: serialise, compress, seal; and back
- ``chainlines``  audit entries as the hashed bytes, one line each: check a chain without parsing
- ``collect``     what changed since the previous export (from the audit chain)
- ``export``      make, keep (outbox), write to a stick and read back, confirm
- ``safewrite``   ``.part`` + fsync + rename + read-back, never overwriting
- ``drives``      finding USB sticks
- ``reader``      verify (signature before decryption), decrypt, cross-check
- ``merge``       merge rows by id and version; conflicts
- ``segments``    received audit chains, one compressed segment per bundle; verify them
- ``auditsink``   the receiver's own chain entries for what a bundle did
- ``importer``    dry run and import, one transaction per bundle, ledger, gaps
- ``conflicts``   a person decides
- ``county``      bundle history, late months, cross-township petitioners, station filter
- ``scope``       what a liaison laptop holds and may send back
- ``liaison``     starter file (township) and set-up from it (laptop)
- ``receipts``    county receipts that let a station drop its local copies
- ``downward``    county → township: routes, what each township would get, writing the bundles
- ``acknowledge`` the county learns from a township's chain which of its bundles arrived
- ``hooks``       derived data to refresh after a merge (search index)
"""
