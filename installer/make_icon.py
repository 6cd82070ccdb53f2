"""Write installer/debtdesk.ico (16-256 px, PNG-compressed entries) from the shipped logo.

Run once when the logo changes: QT_QPA_PLATFORM=offscreen python installer/make_icon.py
(Qt's own ICO writer stores one size only; Windows wants several.)
"""

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage

ROOT = Path(__file__).resolve().parents[1]
SIZES = (16, 24, 32, 48, 64, 128, 256)


def main() -> None:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - image scaling wants one
    logo = QImage(str(ROOT / "resources" / "icons" / "wexshire-logo.png"))
    images = []
    for size in SIZES:
        scaled = logo.scaled(size, size, Qt.KeepAspectRatio, Qt.SmoothTransformation)
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.WriteOnly)
        scaled.save(buffer, "PNG")
        images.append((size, bytes(data)))
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    directory, payload = b"", b""
    for size, png in images:
        byte = 0 if size >= 256 else size
        directory += struct.pack("<BBBBHHII", byte, byte, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
        payload += png
    (ROOT / "installer" / "debtdesk.ico").write_bytes(header + directory + payload)


if __name__ == "__main__":
    main()
