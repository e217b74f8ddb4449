from django.urls import path

from . import outcome_views, review_views, views

app_name = "schools"

urlpatterns = [
    path("schools/", views.my_schools, name="mine"),
    path("join/", views.join, name="join"),
    path("join/<str:code>/", views.join, name="join-code"),
    path("invitations/<str:token>/", views.accept, name="accept"),
    path("my/sharing/", views.sharing, name="sharing"),
    path("my/steps/<int:step_pk>/", review_views.my_step, name="my-step"),
    path("my/steps/<int:step_pk>/comments/", review_views.my_comment, name="my-comment"),
    path("my/steps/<int:step_pk>/attempts/", review_views.record_attempt, name="record-attempt"),
    path("my/steps/<int:step_pk>/evidence/", review_views.submit_evidence, name="submit-evidence"),
    path(
        "my/steps/<int:step_pk>/evidence/<int:submission_pk>/file/",
        review_views.my_evidence_file,
        name="my-evidence-file",
    ),
    path("schools/<slug:slug>/", views.school, name="school"),
    path("schools/<slug:slug>/outcomes/", outcome_views.school_outcomes, name="school-outcomes"),
    path("schools/<slug:slug>/outcomes.csv", outcome_views.school_outcomes_csv, name="school-outcomes-csv"),
    path("schools/<slug:slug>/cohorts/new/", views.create_cohort, name="create-cohort"),
    path("schools/<slug:slug>/staff/", views.add_staff, name="add-staff"),
    path("schools/<slug:slug>/digest/", views.toggle_digest, name="digest"),
    path("schools/<slug:slug>/roadmaps/new/", views.copy_roadmap, name="copy-roadmap"),
    path("schools/<slug:slug>/roadmaps/<slug:key>/", views.school_roadmap, name="roadmap"),
    path("schools/<slug:slug>/roadmaps/<slug:key>/steps/<int:step_pk>/move/", views.move_step, name="move-step"),
    path("schools/<slug:slug>/cohorts/<int:pk>/", views.cohort, name="cohort"),
    path("schools/<slug:slug>/cohorts/<int:pk>/export.csv", views.export_cohort, name="export"),
    path("schools/<slug:slug>/cohorts/<int:pk>/outcomes/", outcome_views.cohort_outcomes, name="outcomes"),
    path("schools/<slug:slug>/cohorts/<int:pk>/outcomes.csv", outcome_views.cohort_outcomes_csv, name="outcomes-csv"),
    path(
        "schools/<slug:slug>/cohorts/<int:pk>/students/<int:student_pk>/steps/<int:step_pk>/comments/",
        review_views.staff_comments,
        name="comments",
    ),
    path("schools/<slug:slug>/cohorts/<int:pk>/reviews/", review_views.review_queue, name="reviews"),
    path("schools/<slug:slug>/cohorts/<int:pk>/reviews/<int:submission_pk>/", review_views.review, name="review"),
    path(
        "schools/<slug:slug>/cohorts/<int:pk>/reviews/<int:submission_pk>/file/",
        review_views.review_file,
        name="review-file",
    ),
    path("schools/<slug:slug>/cohorts/<int:pk>/assign/", views.assign, name="assign"),
    path("schools/<slug:slug>/cohorts/<int:pk>/targets/", views.set_targets, name="targets"),
    path("schools/<slug:slug>/cohorts/<int:pk>/instructors/", views.add_instructor, name="add-instructor"),
    path("schools/<slug:slug>/cohorts/<int:pk>/roster/", views.roster, name="roster"),
    path("schools/<slug:slug>/cohorts/<int:pk>/invite/", views.invite, name="invite"),
    path(
        "schools/<slug:slug>/cohorts/<int:pk>/invitations/<int:invitation_pk>/resend/",
        views.resend_invitation,
        name="resend-invitation",
    ),
    path(
        "schools/<slug:slug>/cohorts/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        views.revoke_invitation,
        name="revoke-invitation",
    ),
]
