from django.urls import path

from operations.groups import views

app_name = "groups"
urlpatterns = [
    path("", views.group_list, name="list"),
    path("new/", views.group_create, name="create"),
    path("<int:pk>/", views.group_detail, name="detail"),
    path("<int:pk>/edit/", views.group_edit, name="edit"),
    path("<int:pk>/calendar.ics", views.group_ics, name="ics"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session-edit"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session-cancel"),
    path("sessions/<int:pk>/book/", views.booking_new, name="booking-new"),
    path("sessions/<int:pk>/register/", views.register, name="register"),
    path("sessions/<int:pk>/register/walk-in/", views.register_walk_in, name="register-walk-in"),
    path("sessions/<int:pk>/register/head-count/", views.register_head_count, name="register-head-count"),
    path("sessions/<int:pk>/rota/<int:user_pk>/remove/", views.rota_remove, name="rota-remove"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking-cancel"),
    path("bookings/<int:pk>/restore/", views.booking_restore, name="booking-restore"),
    path("bookings/<int:pk>/attendance/", views.register_attendance, name="register-attendance"),
    path("creche-children/<int:pk>/present/", views.register_child_present, name="register-child-present"),
    path("calendar/", views.my_calendar, name="my-calendar"),
    path("calendar/reset/", views.my_calendar_reset, name="my-calendar-reset"),
    path("feed/<str:token>.ics", views.private_feed, name="private-feed"),
]
