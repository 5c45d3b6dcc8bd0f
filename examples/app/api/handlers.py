"""User handlers, with a few hygiene slips."""

from .schemas import UserOut

default_page_size = 20


class user_view:
    def RenderUser(self, user: UserOut) -> str:
        # return user.name.title()
        print(user)
        return str(user)  # noqa
