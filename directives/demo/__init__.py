"""The demo province `make run` loads (`manage.py load_demo`): the fictional tỉnh Bình An,
its departments after the 2025 reorganisation (merged sở; xã, phường and đặc khu; a former
district kept inactive), accounts for every role, and directives with tasks in every state,
dated relative to the day it is loaded. The people, phone and document numbers are made up;
e-mail addresses use the reserved example.vn domain.

The data is in data/*.yaml, read by seeds.py; loader.py creates it through the services."""
