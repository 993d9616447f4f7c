#!/usr/bin/env bash
# Regenerates the clean PDFs under clean/ with the producers a holder's documents really come from (office suites,
# print-to-PDF, image converters, typesetters, report libraries) and qpdf's rewrites of them. Run by hand on Debian
# after: apt-get install qpdf ghostscript img2pdf python3-reportlab librsvg2-bin cairosvg enscript groff
# libreoffice-writer-nogui. The files are committed (a few kB each) so the tests need none of these tools.
set -euo pipefail
out=$(cd "$(dirname "$0")" && pwd)/clean
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir -p "$out"

text='Factuur 2026-0412 dakisolatie. Aannemer: Bouw NV, Gent. Bedrag 12 345,67 EUR (btw 6%). Betaling binnen 30 dagen.'

# groff's own PDF device, three macro packages.
printf '.TL\nFactuur dakisolatie\n.AU\nBouw NV\n.PP\n%s\n.NH\nDetails\n.PP\nPlaatsing (/JS is hier tekst, geen naam).\n' "$text" >ms.ms
groff -ms -Tpdf ms.ms >"$out/groff-ms.pdf"
printf '.TH PLAN 1\n.SH NAAM\nplan \\- grondplan gelijkvloers\n.SH BESCHRIJVING\n%s\n' "$text" >man.man
groff -man -Tpdf man.man >"$out/groff-man.pdf"
printf '%s\n.sp\n.ce\nAttest\n' "$text" >plain.roff
groff -Tpdf plain.roff >"$out/groff-plain.pdf"

# Ghostscript (print to PDF) from PostScript: enscript and groff's PostScript device, several settings.
printf '%s\n' "$text" "Tweede lijn /AA /OpenAction (tekst)." >lines.txt
enscript -q -o lines.ps lines.txt
ps2pdf lines.ps "$out/gs-enscript.pdf"
ps2pdf -dPDFSETTINGS=/ebook lines.ps "$out/gs-ebook.pdf"
ps2pdf -dCompatibilityLevel=1.4 lines.ps "$out/gs-pdf14.pdf"
groff -ms -Tps ms.ms >ms.ps
ps2pdf -dPDFSETTINGS=/prepress ms.ps "$out/gs-groff-prepress.pdf"
gs -q -dNOPAUSE -dBATCH -sDEVICE=pdfwrite -dCompressPages=false -sOutputFile="$out/gs-uncompressed.pdf" lines.ps

# ReportLab (invoice and report generators), with a link, an outline and a table.
/usr/bin/python3 - "$out" "$text" <<'PY'
import sys
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from reportlab.platypus import SimpleDocTemplate, Paragraph, Table
from reportlab.lib.styles import getSampleStyleSheet
out, text = sys.argv[1], sys.argv[2]
c = canvas.Canvas(f"{out}/reportlab-canvas.pdf", pagesize=A4)
c.drawString(72, 760, text[:80]); c.linkURL("https://www.vlaanderen.be", (72, 740, 300, 755)); c.bookmarkPage("p1")
c.addOutlineEntry("Factuur", "p1"); c.showPage(); c.drawString(72, 760, "Pagina 2"); c.save()
c = canvas.Canvas(f"{out}/reportlab-uncompressed.pdf", pageCompression=0); c.drawString(72, 760, text[:60]); c.save()
styles = getSampleStyleSheet()
doc = SimpleDocTemplate(f"{out}/reportlab-platypus.pdf")
doc.build([Paragraph("Offerte", styles["Title"]), Paragraph(text, styles["Normal"]),
           Table([["Post", "Bedrag"], ["Isolatie", "9 000"], ["Plaatsing", "3 345,67"]])])
c = canvas.Canvas(f"{out}/reportlab-shapes.pdf"); c.rect(50, 50, 300, 200, fill=1); c.circle(300, 500, 80); c.save()
PY

# Cairo (browsers' and many desktop apps' print path) through two SVG converters.
cat >plan.svg <<'SVG'
<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><rect x="20" y="20" width="360" height="260" fill="none" stroke="black" stroke-width="4"/><line x1="200" y1="20" x2="200" y2="280" stroke="black"/><text x="60" y="150" font-size="20">Living</text><text x="240" y="150" font-size="20">Keuken</text></svg>
SVG
rsvg-convert -f pdf -o "$out/rsvg-plan.pdf" plan.svg
cairosvg plan.svg -o "$out/cairosvg-plan.pdf"
cairosvg plan.svg -s 0.5 -o "$out/cairosvg-small.pdf"

# Photos and scans as PDF: img2pdf (JPEG kept as DCT) and Ghostscript from an image.
/usr/bin/python3 - <<'PY'
from PIL import Image, ImageDraw
im = Image.new("RGB", (120, 80), (200, 180, 150)); d = ImageDraw.Draw(im); d.rectangle((10, 10, 60, 50), fill=(40, 60, 90))
im.save("gevel.jpg", quality=70); im.save("gevel.png"); im.convert("L").save("scan.png")
PY
img2pdf gevel.jpg -o "$out/img2pdf-jpeg.pdf"
img2pdf gevel.png -o "$out/img2pdf-png.pdf"
img2pdf scan.png -o "$out/img2pdf-gray.pdf"
/usr/bin/python3 -c "from PIL import Image; Image.open('gevel.png').save('$out/pillow-png.pdf')"

# LibreOffice Writer (the office suite route), from plain text and from HTML with a table and a link.
printf '%s\n\nTweede alinea.\n' "$text" >brief.txt
printf '<html><body><h1>Offerte</h1><p>%s</p><table border="1"><tr><td>Post</td><td>Bedrag</td></tr></table><p><a href="https://www.vlaanderen.be">link</a></p></body></html>' "$text" >offerte.html
soffice --headless --convert-to pdf --outdir . brief.txt offerte.html >/dev/null 2>&1
cp brief.pdf "$out/libreoffice-text.pdf"
cp offerte.pdf "$out/libreoffice-html.pdf"
soffice --headless --convert-to 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}' --outdir a2b brief.txt >/dev/null 2>&1
cp a2b/brief.pdf "$out/libreoffice-pdfa2b.pdf"

# qpdf's rewrites: object streams and compressed cross-reference streams, linearised, QDF, re-compressed.
qpdf --object-streams=generate "$out/groff-ms.pdf" "$out/qpdf-objstm-groff.pdf"
qpdf --object-streams=generate "$out/libreoffice-text.pdf" "$out/qpdf-objstm-libreoffice.pdf"
qpdf --linearize "$out/reportlab-platypus.pdf" "$out/qpdf-linearized.pdf"
qpdf --qdf --object-streams=disable "$out/gs-enscript.pdf" "$out/qpdf-qdf.pdf"
qpdf --recompress-flate --compression-level=9 --object-streams=generate "$out/cairosvg-plan.pdf" "$out/qpdf-recompressed.pdf"
qpdf --empty --pages "$out/groff-man.pdf" "$out/img2pdf-jpeg.pdf" -- "$out/qpdf-merged.pdf"
qpdf --encrypt '' owner 256 --print=full -- "$out/groff-plain.pdf" "$work/owner-only.pdf" # not kept: encrypted is refused
ls -la "$out"
