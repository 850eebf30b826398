"""Files an editor archives as sources: an HTML page with its menus and footer, and a PDF whose
lines wrap inside sentences, both made here (the PDF with fpdf2)."""

from fpdf import FPDF

#: The article of the HTML page; its typographic quotes and apostrophe stay in the archive.
HTML_SENTENCE = (
    "The minister called the logistics pact a “force multiplier” for both navies’ ships."
)
#: What an editor types: straight quotes and apostrophe.
HTML_QUOTE = 'called the logistics pact a "force multiplier" for both navies\' ships'
HTML_BOILERPLATE = "Subscribe to our newsletter"

#: A paragraph of the PDF, long enough to wrap onto several lines.
PDF_PARAGRAPH = (
    "The second consignment of spare parts reached the Indian Air Force in March, and the "
    "remaining consignments are expected before the end of the financial year, according to "
    "officials familiar with the contract who spoke on condition of anonymity."
)
#: A run of words that the PDF's lines break inside.
PDF_QUOTE = "remaining consignments are expected before the end of the financial year"


def html_page() -> bytes:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Logistics pact</title></head>
<body>
<header><nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/login">Log in</a>
</nav></header>
<main><article>
<h1>Logistics pact ratified</h1>
<p>{HTML_SENTENCE}</p>
<p>Officials said the agreement lets warships of each side refuel and take on supplies at the
other side's ports, and that the first visits under it are planned for next spring.</p>
</article></main>
<footer><p>{HTML_BOILERPLATE}. Copyright 2025 Example News. All rights reserved.</p></footer>
</body></html>""".encode()


def pdf_document() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(w=90, text=PDF_PARAGRAPH)
    return bytes(pdf.output())
