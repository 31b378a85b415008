# The UNO side of LibreOfficePool: one client per soffice listener. It reads one JSON job per line
# on stdin ({"id", "input", "output", "marks"?}) and answers one JSON line per job on stdout ({"id", "ok",
# "error"?}). Run by Debian's /usr/bin/python3, the one with python3-uno: a pyenv python first on
# PATH has no `uno`. Timeouts live on the Node side, which kills this process and soffice together.
import json
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def reply(obj):
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + '\n')
    sys.stdout.flush()


def connect(port, wait_s):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext('com.sun.star.bridge.UnoUrlResolver', local)
    url = 'uno:socket,host=127.0.0.1,port=%d;urp;StarOffice.ComponentContext' % port
    deadline = time.time() + wait_s
    while True:
        try:
            ctx = resolver.resolve(url)
            return ctx.ServiceManager.createInstanceWithContext('com.sun.star.frame.Desktop', ctx)
        except Exception as err:  # soffice is still starting: its socket is not open yet
            if time.time() > deadline:
                raise err
            time.sleep(0.1)


# Lossless images, so a seal or a photo in a template prints as it was drawn. Blank pages that the
# layout inserts (a section that must start on an even page, as the notice's 版记 does) are kept:
# without them the page numbers jump and a duplex print puts the 版记 on the wrong side.
PDF_FILTER_DATA = uno.Any(
    '[]com.sun.star.beans.PropertyValue',
    (prop('UseLosslessCompression', True), prop('IsSkipEmptyPages', False)),
)
# For combined documents: bookmarks become named destinations, which is how the PDF is cut apart.
PDF_FILTER_DATA_MARKED = uno.Any(
    '[]com.sun.star.beans.PropertyValue',
    (
        prop('UseLosslessCompression', True),
        prop('IsSkipEmptyPages', False),
        prop('ExportBookmarksToPDFDestination', True),
    ),
)


def export_filter(doc):
    if doc.supportsService('com.sun.star.sheet.SpreadsheetDocument'):
        return 'calc_pdf_Export'
    if doc.supportsService('com.sun.star.presentation.PresentationDocument'):
        return 'impress_pdf_Export'
    return 'writer_pdf_Export'


def convert(desktop, job):
    doc = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(job['input']),
        '_blank',
        0,
        (prop('Hidden', True), prop('ReadOnly', True), prop('UpdateDocMode', 0)),
    )
    if doc is None:
        raise RuntimeError('LibreOffice could not open the file')
    try:
        uno.invoke(
            doc,
            'storeToURL',
            (
                uno.systemPathToFileUrl(job['output']),
                (
                    prop('FilterName', export_filter(doc)),
                    prop('FilterData', PDF_FILTER_DATA_MARKED if job.get('marks') else PDF_FILTER_DATA),
                ),
            ),
        )
    finally:
        doc.close(True)


def main():
    port = int(sys.argv[1])
    wait_s = float(sys.argv[2]) if len(sys.argv) > 2 else 60
    try:
        desktop = connect(port, wait_s)
    except Exception as err:
        reply({'ready': False, 'error': str(err)})
        return 1
    reply({'ready': True})
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        job = json.loads(line)
        try:
            convert(desktop, job)
            reply({'id': job['id'], 'ok': True})
        except Exception as err:
            reply({'id': job['id'], 'ok': False, 'error': '%s: %s' % (type(err).__name__, err)})
    return 0


if __name__ == '__main__':
    sys.exit(main())
