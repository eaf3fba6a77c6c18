"""factory_boy factories. Domain objects are created through their services."""

from typing import Any

import factory
from django.contrib.auth import get_user_model

from stakeholders.choices import OrganisationKind, Role, WorkspaceLevel
from stakeholders.models import Membership, Organisation, Workspace
from stakeholders.services import membership_create, organisation_create, workspace_create

PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(PASSWORD)


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workspace

    name = factory.Sequence(lambda n: f"Workspace {n}")
    slug = factory.Sequence(lambda n: f"workspace-{n}")
    level = WorkspaceLevel.NATIONAL
    country = "SEN"
    time_zone = "Africa/Dakar"

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Workspace:
        return workspace_create(actor=None, **kwargs)


class LocalWorkspaceFactory(WorkspaceFactory):
    level = WorkspaceLevel.LOCAL
    locality = factory.Sequence(lambda n: f"City {n}")
    parent = factory.SubFactory(WorkspaceFactory)
    country = factory.SelfAttribute("parent.country")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Organisation {n}")
    acronym = factory.Sequence(lambda n: f"ORG{n}")
    kind = OrganisationKind.MINISTRY
    country = "SEN"

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Organisation:
        return organisation_create(actor=None, **kwargs)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    workspace = factory.SubFactory(WorkspaceFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, workspace=factory.SelfAttribute("..workspace")
    )
    role = Role.EDITOR

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Membership:
        return membership_create(actor=None, **kwargs)


def _coordinator_of(workspace: Workspace) -> Any:
    return MembershipFactory(workspace=workspace, role=Role.COORDINATOR).user


class CycleFactory(factory.django.DjangoModelFactory):
    """A planning cycle (with its default sections) opened by `actor`, by default a coordinator."""

    class Meta:
        model = "mainstreaming.Cycle"

    workspace = factory.SubFactory(WorkspaceFactory)
    actor = factory.LazyAttribute(lambda o: _coordinator_of(o.workspace))
    title = factory.Sequence(lambda n: f"Planning cycle {n}")
    start_year = 2025
    end_year = 2029

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        from mainstreaming.services import cycle_create

        return cycle_create(**kwargs)


class SituationSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "mainstreaming.SituationSection"

    cycle = factory.SubFactory(CycleFactory)
    actor = factory.LazyAttribute(lambda o: _coordinator_of(o.cycle.workspace))
    title = factory.Sequence(lambda n: f"Section {n}")
    narrative = "Draft narrative."

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        from mainstreaming.services import situation_section_create

        return situation_section_create(**kwargs)
