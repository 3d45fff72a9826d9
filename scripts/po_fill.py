"""Fill given translations into a .po file: po_fill.py FILE 'msgid=>msgstr' ... (clears fuzzy on them)."""

from __future__ import annotations

import re
import sys
from pathlib import Path


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def fill(path: Path, pairs: dict[str, str]) -> int:
    text = path.read_text(encoding="utf-8")
    blocks = re.split(r"(\n\s*\n)", text)
    done = 0
    for i, block in enumerate(blocks):
        m = re.search(
            r'^msgid "(.*)"\n((?:".*"\n)*)(?:msgid_plural .*\n(?:".*"\n)*)?msgstr',
            block + "\n",
            re.M,
        )
        if not m:
            continue
        msgid = m.group(1) + "".join(re.findall(r'^"(.*)"$', m.group(2), re.M))
        for en, nb in pairs.items():
            if msgid == escape(en):
                head = block[: block.index("msgstr")]
                head = re.sub(r"^#, fuzzy\n", "", head, flags=re.M)
                head = re.sub(r"^(#,.*), fuzzy", r"\1", head, flags=re.M)
                head = re.sub(r"^#\| .*\n", "", head, flags=re.M)
                if "msgid_plural" in head:
                    forms = nb.split("||")
                    blocks[i] = head + "\n".join(
                        f'msgstr[{n}] "{escape(f)}"' for n, f in enumerate(forms)
                    )
                else:
                    blocks[i] = head + f'msgstr "{escape(nb)}"'
                done += 1
    path.write_text("".join(blocks), encoding="utf-8")
    return done


if __name__ == "__main__":
    target = Path(sys.argv[1])
    pairs = dict(arg.split("=>", 1) for arg in sys.argv[2:])
    sys.stdout.write(f"{fill(target, pairs)} filled\n")
