"""The import wizard: a shell (wizard.py) and one module per step's page.

choose_page → check_page → changes_page → upload_page → result_page, over an
``ImportDraft`` (omnidesk/imports/preparation.py) that orders the steps.
"""

from .pages import Step
from .wizard import ImportWizard

__all__ = ["ImportWizard", "Step"]
