from . import test_chinese_formats
