"""Draw the fictional Wexshire County Council's logo (resources/icons/wexshire-logo.png).

The demo council is invented, so is its crest: a shield with three waves (the Wex) under
a tower. Run once; the PNG is checked in.
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import (  # noqa: E402
    QBrush,
    QColor,
    QGuiApplication,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
)

SIZE = 256
TEAL = QColor("#0b4f6c")
GOLD = QColor("#e0b43a")


def shield() -> QPainterPath:
    path = QPainterPath()
    path.moveTo(28, 20)
    path.lineTo(228, 20)
    path.lineTo(228, 120)
    path.cubicTo(228, 190, 170, 222, 128, 240)
    path.cubicTo(86, 222, 28, 190, 28, 120)
    path.closeSubpath()
    return path


def main(out: Path) -> None:
    QGuiApplication(sys.argv)
    image = QImage(SIZE, SIZE, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(GOLD, 8))
    p.setBrush(QBrush(TEAL))
    p.drawPath(shield())
    # the tower
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(GOLD))
    p.drawRect(QRectF(98, 62, 60, 62))
    for x in (98, 118, 138):
        p.drawRect(QRectF(x, 48, 14, 16))
    p.setBrush(QBrush(TEAL))
    p.drawRect(QRectF(120, 96, 16, 28))
    # the three waves of the Wex
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(QColor("white"), 9))
    for i, y in enumerate((146, 170, 194)):
        inset = 18 + i * 14
        wave = QPainterPath(QPointF(28 + inset, y))
        x = 28 + inset
        step = (200 - 2 * inset) / 4
        for k in range(4):
            wave.quadTo(
                QPointF(x + step / 2, y + (-12 if k % 2 == 0 else 12)), QPointF(x + step, y)
            )
            x += step
        p.drawPath(wave)
    p.end()
    out.parent.mkdir(parents=True, exist_ok=True)
    image.save(str(out))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("resources/icons/wexshire-logo.png"))
