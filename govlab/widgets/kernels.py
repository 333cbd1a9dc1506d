"""The kernel manager of ``govlab voila``: a limit on live kernels; culling that spares the pool.

Voila starts one kernel per open page. A room of thirty on one machine needs a
ceiling, so that a reload storm cannot start a hundred kernels; past it a page
gets a plain "the room is full" answer instead of a slow machine for everyone.
Idle culling gives back the kernels of pages left alone, but never a preheated
kernel still waiting in Voila's pool for its first visitor.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Integer

ROOM_FULL = (
    "This workshop's server has as many pages open as it can take. "
    "Close a page you no longer need, or try again in a minute."
)


class RoomKernelManager(AsyncMappingKernelManager):
    """Refuses a kernel past ``max_kernels``; culls idle kernels but not the waiting pool."""

    max_kernels = Integer(45, config=True, help="The most kernels alive at once.")

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]
        """Start a kernel, or refuse with 503 when the room is full."""
        if len(self.list_kernel_ids()) >= self.max_kernels:
            self.log.warning("govlab: refused a kernel, %d are alive", self.max_kernels)
            raise web.HTTPError(503, reason=ROOM_FULL)
        kernel_id: str = await super().start_kernel(*args, **kwargs)
        return kernel_id

    def _waiting_in_pool(self) -> set[str]:
        """Kernels Voila preheated that no page has taken yet."""
        waiting = set()
        for pool in getattr(self, "_pools", {}).values():
            for task in pool:
                if task.done() and not task.cancelled() and task.exception() is None:
                    waiting.add(task.result().get("kernel_id"))
        return waiting

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        """Cull an idle kernel, unless it is preheated and waiting for a page."""
        if kernel_id in self._waiting_in_pool():
            return
        await super().cull_kernel_if_idle(kernel_id)  # type: ignore[no-untyped-call, unused-ignore]
