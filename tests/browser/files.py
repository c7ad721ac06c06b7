"""Small real files the browser tests upload: pictures drawn with Pillow and a one-page PDF."""

import io

from PIL import Image, ImageDraw


def png(path, size=(960, 600), colour=(200, 16, 46), text="Hội thao"):
    """A real PNG picture at ``path``; returns the path."""
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.rectangle((width // 8, height // 4, width * 7 // 8, height * 3 // 4), fill=(250, 214, 0))
    draw.ellipse((width // 3, height // 3, width * 2 // 3, height * 2 // 3), fill=(11, 74, 140))
    draw.text((20, 20), text, fill=(255, 255, 255))
    image.save(path, format="PNG")
    return path


def jpeg(path, size=(800, 500), colour=(11, 74, 140)):
    """A real JPEG picture at ``path``; returns the path."""
    image = Image.new("RGB", size, colour)
    ImageDraw.Draw(image).ellipse((100, 100, 400, 400), fill=(250, 214, 0))
    image.save(path, format="JPEG", quality=85)
    return path


def pdf_bytes(text="Giay ra vien"):
    """A minimal but valid one-page PDF (cross-reference table with exact offsets)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def pdf(path, text="Giay ra vien"):
    """A one-page PDF at ``path``; returns the path."""
    path.write_bytes(pdf_bytes(text))
    return path
