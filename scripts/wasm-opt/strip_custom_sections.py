"""Copies a WebAssembly module without its custom sections (id 0: names, producers, target
features), which hold nothing the browser runs. Usage: strip_custom_sections.py IN OUT.
Binary format: the 8-byte header, then sections of one id byte, a LEB128 size and the payload
(WebAssembly Core Specification 2.0, section 5.5.2)."""

import sys


def leb128(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def main(src: str, dst: str) -> None:
    data = open(src, "rb").read()
    if data[:4] != b"\0asm":
        sys.exit(f"{src}: not a WebAssembly module")
    out = bytearray(data[:8])
    at = 8
    while at < len(data):
        section = data[at]
        size, start = leb128(data, at + 1)
        end = start + size
        if end > len(data):
            sys.exit(f"{src}: section at {at} runs past the end")
        if section != 0:
            out += data[at:end]
        at = end
    with open(dst, "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
