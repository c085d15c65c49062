"""Spreadsheet import and export of the inventory (CSV, XLSX, JSON).

Modules: ``columns`` (column set from ``content/import_columns.yaml``, value parsing,
formula neutralising), ``safety`` (size limits, zip-bomb and fake-XLSX checks, upload
handler), ``readers`` (CSV/XLSX → rows), ``importer`` (dry run / one-transaction import),
``exporter`` (streamed CSV, XLSX, JSON), ``views`` (web pages).

Translations live in ``io/locale`` (listed in ``LOCALE_PATHS``). makemessages only walks
the current directory, so the templates in ``web/templates/inventory_io`` are linked in
for the run::

    cd src/vendorvet/web/inventory/io
    ln -s ../../templates/inventory_io _templates
    DJANGO_SETTINGS_MODULE=vendorvet.web.settings django-admin makemessages -l de \\
        --extension html,py --symlinks
    rm _templates
    # translate the new entries in locale/de/LC_MESSAGES/django.po, then:
    msgfmt --check -o locale/de/LC_MESSAGES/django.mo locale/de/LC_MESSAGES/django.po
"""
