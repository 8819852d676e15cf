"""One assessment as documents for the decision: a tagged PDF (PDF/UA-1) and a Word file, from one content loader.

``content.document_content`` turns an assessment into a list of blocks (headings, paragraphs, facts, tables, the
impact chart) with every label translated and every date written out; ``pdf`` and ``docx`` only lay those blocks
out, so the two files never disagree.
"""
