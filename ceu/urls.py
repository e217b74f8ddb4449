from django.urls import path

from . import apprentice_views, audit_views, views

app_name = "ceu"

urlpatterns = [
    path("ceu/", views.index, name="index"),
    path("ceu/entries/<int:pk>/", views.edit_entry, name="edit-entry"),
    path("ceu/entries/<int:pk>/delete/", views.delete_entry, name="delete-entry"),
    path("ceu/entries/<int:pk>/certificate/", views.certificate, name="certificate"),
    path("ceu/credentials/<int:pk>/cycle/", views.set_cycle_end, name="cycle-end"),
    path("ceu/credentials/<int:pk>/renew/", views.renew, name="renew"),
    path("ceu/credentials/<int:pk>/lapse/", views.lapse, name="lapse"),
    path("ceu/audit/", audit_views.index, name="audit"),
    path("ceu/audit/<int:pk>/", audit_views.pack, name="audit-pack"),
    path("ceu/audit/<int:pk>/download/", audit_views.download, name="audit-download"),
    path("ceu/audit/<int:pk>/transcript.pdf", audit_views.transcript_part, {"part": "pdf"}, name="audit-pdf"),
    path("ceu/audit/<int:pk>/transcript.csv", audit_views.transcript_part, {"part": "csv"}, name="audit-csv"),
    path("ceu/apprentice/<int:pk>/", apprentice_views.tracker, name="apprentice"),
    path("ceu/calendar/", views.calendar, name="calendar"),
    path("ceu/calendar/rotate/", views.rotate_calendar, name="rotate-calendar"),
    path("ceu/calendar/<str:secret>.ics", views.calendar_feed, name="feed"),
    path("ceu/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
