from __future__ import annotations

import factory

from commonground.conversations.models import Post, Thread


class ThreadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Thread

    title = factory.Sequence(lambda n: f"Thread {n}")


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    thread = factory.SubFactory(ThreadFactory)
    body = factory.Sequence(lambda n: f"Post number {n}")
