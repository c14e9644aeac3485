"""The release public key built into the app: only manifests signed with its private half are offered.

PLACEHOLDER until the first signed release: this key was generated and its private half
discarded, so no manifest verifies against it and the app offers no update (it reports
"signature invalid" instead). The release manager generates the real pair offline with
``core.updates.generate_key_pair()``, keeps the private key in the release vault, and puts the
base64 of the public key here; changing it is a code change, reviewed like any other.
"""

from __future__ import annotations

import base64

RELEASE_PUBLIC_KEY_BASE64 = "UzI/v+yehxm4VF8zBSSYdDYBKlACLgSC2HZcTyc9rZc="
RELEASE_PUBLIC_KEY: bytes = base64.b64decode(RELEASE_PUBLIC_KEY_BASE64)
