"""Every screen class of the app, for tests that go through all their bindings."""

from __future__ import annotations

from exposure.tui.app import ExposureApp
from exposure.tui.screens.checklist import ChecklistScreen
from exposure.tui.screens.confirm import ConfirmScreen
from exposure.tui.screens.dashboard import DashboardScreen
from exposure.tui.screens.export import ExportScreen
from exposure.tui.screens.findings import FindingsScreen
from exposure.tui.screens.help import HelpScreen
from exposure.tui.screens.incidents import IncidentsScreen
from exposure.tui.screens.profile_editor import ProfileEditorScreen
from exposure.tui.screens.request import RequestScreen
from exposure.tui.screens.scan import ScanScreen
from exposure.tui.screens.send_plan import SendPlanScreen

SCREENS = (
    ExposureApp,
    DashboardScreen,
    ProfileEditorScreen,
    ScanScreen,
    FindingsScreen,
    ChecklistScreen,
    ExportScreen,
    HelpScreen,
    IncidentsScreen,
    ConfirmScreen,
    RequestScreen,
    SendPlanScreen,
)
