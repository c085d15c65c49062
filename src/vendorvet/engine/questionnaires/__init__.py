"""Standard vendor questionnaires (pure Python, no Django): CSA CAIQ v4 import, our own questionnaire as XLSX.

- :func:`read_caiq` — a vendor's completed CAIQ v4 workbook → :class:`CaiqImport` (answers per checklist
  requirement, mapped by ``content/caiq_v4_mapping.yaml``), or :class:`CaiqError` naming row and column.
- :func:`write_questionnaire_xlsx` / :func:`read_questionnaire_xlsx` — our questionnaire as a spreadsheet
  and back (:class:`QuestionnaireXlsxError` naming row and column for tampered ids or unknown answers).
"""

from vendorvet.engine.questionnaires.caiq import CaiqError, aggregate, load_mapping, read_caiq
from vendorvet.engine.questionnaires.models import (
    ANSWERS, CaiqImport, CaiqQuestion, Limits, QuestionnaireFileError, QuestionPoint, VendorAnswer,
)
from vendorvet.engine.questionnaires.xlsx import (
    QuestionnaireXlsx, QuestionnaireXlsxError, read_questionnaire_workbook, read_questionnaire_xlsx,
    write_questionnaire_xlsx,
)

__all__ = [
    "ANSWERS", "CaiqError", "CaiqImport", "CaiqQuestion", "Limits", "QuestionPoint", "QuestionnaireFileError",
    "QuestionnaireXlsx", "QuestionnaireXlsxError", "VendorAnswer", "aggregate", "load_mapping", "read_caiq",
    "read_questionnaire_workbook", "read_questionnaire_xlsx", "write_questionnaire_xlsx",
]
