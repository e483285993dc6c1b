"""Help that reads naturally: `文件`, `编号`, `年度` instead of `<list[Path]>`, flags bare.

typer labels every parameter with its Python type (`<bool>`, `<list[str]>`), which means
nothing to an officer. Each command gives its values a Chinese metavar; a flag shows none;
anything still unnamed gets a Chinese word for its type rather than the annotation.
"""

from __future__ import annotations

from typer import _click as click  # typer vendors click; its parameters are these classes
from typer.core import TyperArgument, TyperGroup, TyperOption

TYPE_WORDS = {"int": "整数", "str": "文本", "Path": "路径", "float": "数值", "bool": ""}


def type_word(annotation_name: str) -> str:
    """`list[Path]` → `路径...`; an unknown type → `值`."""
    if annotation_name.startswith("list[") and annotation_name.endswith("]"):
        return type_word(annotation_name[5:-1]) + "..."
    return TYPE_WORDS.get(annotation_name, "值")


class NaturalOption(TyperOption):
    """An option whose help shows its metavar, nothing for a flag, else a Chinese type word."""

    def display_type_rich(self, ctx: click.Context) -> str | None:
        if self.metavar is not None:
            return self.metavar
        if self.is_flag or self.count:
            return None
        return type_word(self.bare_type()) or None


class NaturalArgument(TyperArgument):
    """An argument: its metavar already names it, so no type label beside it."""

    def display_type_rich(self, ctx: click.Context) -> str | None:
        if self.metavar is not None:
            return None
        return type_word(self.bare_type()) or None


def naturalize(param: click.Parameter) -> click.Parameter:
    """Give typer's own parameter classes the natural display (same object, same behaviour)."""
    if type(param) is TyperOption:
        param.__class__ = NaturalOption
    elif type(param) is TyperArgument:
        param.__class__ = NaturalArgument
    return param


class NaturalGroup(TyperGroup):
    """A command group whose own and whose commands' parameters display naturally."""

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        return [naturalize(param) for param in super().get_params(ctx)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            for param in command.get_params(ctx):
                naturalize(param)
        return command
