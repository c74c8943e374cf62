"""The inspection screen's parts, one concept a module: the mixins `InspectionScreen` is made of
(saving, marking, the facts pane, last time's inspection), the undo record and the words.

Mixins rather than helper objects because each part handles the screen's own actions and
messages (Textual finds `action_*` and `on_<message>` methods along the class's MRO); a part's
handlers are therefore named `on_…` methods — `@on` registers only on a Textual class itself.
"""
