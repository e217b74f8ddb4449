from django.contrib import admin

from .models import (
    Credential,
    EducationPath,
    ExperienceBand,
    Fee,
    IssuingBody,
    Region,
    RenewalRule,
    Role,
    SalaryFigure,
    Source,
    WageEstimate,
    WorkSetting,
)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "publisher", "edition", "key"]
    search_fields = ["name", "publisher", "key"]


@admin.register(IssuingBody)
class IssuingBodyAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(RenewalRule)
class RenewalRuleAdmin(admin.ModelAdmin):
    list_display = ["key", "body", "edition", "effective_from", "method", "cycle_months"]
    list_filter = ["body", "method"]
    list_select_related = ["body"]


@admin.register(EducationPath)
class EducationPathAdmin(admin.ModelAdmin):
    list_display = ["name", "months_min", "months_max", "key"]


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "body", "setting", "level", "renewal_rule"]
    list_filter = ["body", "setting", "level"]
    list_select_related = ["body", "renewal_rule__body"]
    search_fields = ["code", "name"]
    filter_horizontal = ["prerequisites"]


@admin.register(ExperienceBand)
class ExperienceBandAdmin(admin.ModelAdmin):
    list_display = ["name", "years_min", "years_max"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["name", "band", "bls_occupation", "key"]
    list_select_related = ["band"]


@admin.register(WorkSetting)
class WorkSettingAdmin(admin.ModelAdmin):
    list_display = ["name", "key"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "state_codes", "key"]
    list_filter = ["kind"]


@admin.register(SalaryFigure)
class SalaryFigureAdmin(admin.ModelAdmin):
    list_display = ["describes", "value", "kind", "period", "source", "as_of"]
    list_filter = ["source", "kind", "period"]
    list_select_related = ["source"]
    search_fields = ["describes", "key", "quote"]
    autocomplete_fields = ["credential"]


@admin.register(WageEstimate)
class WageEstimateAdmin(admin.ModelAdmin):
    """BLS releases are imported with `manage.py import_oews`; the rows are read-only here."""

    list_display = [
        "occupation_code",
        "region",
        "industry_code",
        "employment",
        "annual_mean",
        "annual_median",
        "source",
    ]
    list_filter = ["source", "occupation_code", "region__kind"]
    list_select_related = ["region", "source"]
    search_fields = ["series", "region__name"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Fee)
class FeeAdmin(admin.ModelAdmin):
    list_display = ["describes", "amount", "member_amount", "period", "confidence", "as_of", "source"]
    list_filter = ["kind", "confidence", "body"]
