"""The terms of the data: its licence and how to cite it, in one place for the API schema's
``info``, the first line of the bulk dump and the README."""

#: The tracker's own records: what it states, dates, statuses, figures as recorded, timelines,
#: and the links between them.
LICENCE = {
    "name": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}

LICENCE_TEXT = (
    "The tracker's own records (their dates, statuses, figures as recorded, timelines and the "
    "links between them) are licensed under the Creative Commons Attribution 4.0 "
    "International licence (CC BY 4.0): reuse them freely, crediting indoru. Quotations from "
    "sources remain their publishers' and are reproduced as short quotations to support the "
    "records; they are not licensed by indoru."
)

HOW_TO_CITE = (
    'indoru, "India–Russia relations tracker", <address of the record or dump>, retrieved '
    "<date>. Licensed under CC BY 4.0. Cite a figure's own source (in its citations) too."
)
