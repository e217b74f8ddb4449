from django.contrib import admin

from .models import (
    Assignment,
    Cohort,
    CohortStudent,
    Decision,
    ExamAttempt,
    Invitation,
    Membership,
    School,
    SchoolRoadmap,
    StepComment,
    StepTarget,
    Submission,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "school", "role", "weekly_digest"]
    list_filter = ["role", "school"]
    search_fields = ["user__email", "school__name"]
    raw_id_fields = ["user"]
    list_select_related = ["user", "school"]


class CohortStudentInline(admin.TabularInline):
    model = CohortStudent
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "starts_on", "ends_on", "join_code"]
    list_filter = ["school"]
    search_fields = ["name", "school__name", "join_code"]
    raw_id_fields = ["instructors"]
    list_select_related = ["school"]
    inlines = [CohortStudentInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: the token itself is never stored, so an invitation cannot be re-sent from here."""

    list_display = ["email", "cohort", "expires_at", "accepted_at"]
    list_filter = ["cohort__school"]
    search_fields = ["email"]
    readonly_fields = ["cohort", "email", "first_name", "last_name", "token_hash", "expires_at", "accepted_at"]
    list_select_related = ["cohort__school"]

    def has_add_permission(self, request) -> bool:
        return False


class StepTargetInline(admin.TabularInline):
    model = StepTarget
    extra = 0
    raw_id_fields = ["step"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["cohort", "roadmap", "start_on", "updated_at"]
    list_select_related = ["cohort__school", "roadmap"]
    raw_id_fields = ["cohort", "roadmap"]
    inlines = [StepTargetInline]


@admin.register(SchoolRoadmap)
class SchoolRoadmapAdmin(admin.ModelAdmin):
    list_display = ["roadmap", "school", "copied_from"]
    list_select_related = ["roadmap", "school", "copied_from"]
    raw_id_fields = ["roadmap", "copied_from"]


@admin.register(ExamAttempt)
class ExamAttemptAdmin(admin.ModelAdmin):
    list_display = ["user", "step", "taken_on", "passed", "score"]
    list_select_related = ["user", "step__roadmap"]
    raw_id_fields = ["user", "step"]


class DecisionInline(admin.TabularInline):
    """Decisions are a record: shown, never edited here."""

    model = Decision
    extra = 0
    can_delete = False
    readonly_fields = ["reviewer", "outcome", "comment", "decided_at", "email"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """The file is not linked here: it is served only through the checking views."""

    list_display = ["user", "step", "cohort", "state", "submitted_at"]
    list_filter = ["state"]
    list_select_related = ["user", "step__roadmap", "cohort__school"]
    raw_id_fields = ["user", "step", "cohort"]
    exclude = ["file"]
    inlines = [DecisionInline]


@admin.register(StepComment)
class StepCommentAdmin(admin.ModelAdmin):
    list_display = ["student", "step", "author", "created_at"]
    list_select_related = ["student", "step__roadmap", "author"]
    raw_id_fields = ["cohort", "student", "step", "author"]
