"""The book's printed outputs, as the tests compare them (one copy for every test module).

Chapter 4's two prints (``print(activation1.output[:5])`` and
``print(activation2.output[:5])``), and the final scripts of chapters 5 and 9
(Chapter_5/Ch5_Final.py and Chapter_9 of nnfs_book; issue 17 quotes the latter).
Each text is what the book shows, without the final newline of the print.
"""

BOOK_RELU = """\
[[0.         0.         0.        ]
 [0.         0.00011395 0.        ]
 [0.         0.00031729 0.        ]
 [0.         0.00052666 0.        ]
 [0.         0.00071401 0.        ]]"""

BOOK_SOFTMAX = """\
[[0.33333334 0.33333334 0.33333334]
 [0.33333316 0.3333332  0.33333364]
 [0.33333287 0.3333329  0.33333418]
 [0.3333326  0.33333263 0.33333477]
 [0.33333233 0.3333324  0.33333528]]"""

BOOK_CH5 = BOOK_SOFTMAX + "\nloss: 1.0986104"

BOOK_CH9 = BOOK_CH5 + """
acc: 0.34
[[ 1.5766358e-04  7.8368575e-05  4.7324404e-05]
 [ 1.8161036e-04  1.1045571e-05 -3.3096316e-05]]
[[-3.6055347e-04  9.6611722e-05 -1.0367142e-04]]
[[ 5.4410957e-05  1.0741142e-04 -1.6182236e-04]
 [-4.0791339e-05 -7.1678100e-05  1.1246944e-04]
 [-5.3011299e-05  8.5817286e-05 -3.2805994e-05]]
[[-1.0732794e-05 -9.4590941e-06  2.0027626e-05]]"""
