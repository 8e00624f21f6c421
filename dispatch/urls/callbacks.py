"""URLs of the 12345 centre's callback queue (回访), included into the dispatch namespace."""

from django.urls import path

from dispatch.views import callbacks

urlpatterns = [
    path("callbacks/", callbacks.callback_queue, name="callbacks"),
    path("callbacks/<str:tracking_number>/", callbacks.callback_order, name="callback"),
    path("callbacks/<str:tracking_number>/rate/", callbacks.callback_rate, name="callback_rate"),
    path("callbacks/<str:tracking_number>/no-answer/", callbacks.callback_no_answer_view, name="callback_no_answer"),
]
