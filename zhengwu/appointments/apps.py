from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "zhengwu.appointments"
    label = "appointments"
    verbose_name = "预约"

    def ready(self) -> None:
        from zhengwu.appointments.services import appointment_mark_served
        from zhengwu.queueing.signals import ticket_finished

        def _served(sender, ticket, now, **kwargs) -> None:
            appointment_mark_served(ticket=ticket, now=now)

        ticket_finished.connect(_served, dispatch_uid="appointments.served_on_ticket_finish", weak=False)
