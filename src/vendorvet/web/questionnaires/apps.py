from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionnairesConfig(AppConfig):
    name = "vendorvet.web.questionnaires"
    label = "questionnaires"
    verbose_name = _("Questionnaires")

    def ready(self) -> None:
        from vendorvet.web.core import review
        from vendorvet.web.core.registry import NavItem, Panel, registry
        from vendorvet.web.questionnaires import api, calendar, provider

        registry.nav_items.register("questionnaires:list", NavItem(_("Questionnaires"), "questionnaires:list",
                                                                   order=35))
        registry.integration_panels.register("questionnaires:integration_panel",
                                             Panel("questionnaires:integration_panel", order=12))
        registry.evidence_providers.register(provider.QuestionnaireEvidence.key, provider.QuestionnaireEvidence())
        registry.hooks.register(review.HOOK_ANSWER_BASIS, provider.answer_bases)
        registry.hooks.register(review.HOOK_REVIEW_ACTIONS, provider.review_actions)
        calendar.register()  # reminder event kinds and the due-date check
        registry.api_routes.register(api.ROUTES.app, api.ROUTES)  # /api/questionnaires/…
