"""ipaward: administers 《漳州市促进知识产权高质量发展若干措施》 (Zhangzhou, 2024)."""

__version__ = "0.1.0"
