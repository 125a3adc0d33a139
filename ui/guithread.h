// LATENT_ASSERT_GUI_THREAD(): where values from the core or a worker meet widgets (progress and
// snapshot slots, finished jobs), debug builds check that they arrived on the GUI thread, so a
// direct connection or a call from a worker cannot touch a widget unnoticed. Release builds
// compile it away (Q_ASSERT_X), and the sanitizer builds, which are Debug, run it in the tests.
#pragma once

#include <QCoreApplication>
#include <QThread>

#define LATENT_ASSERT_GUI_THREAD()                                                   \
  Q_ASSERT_X(QCoreApplication::instance() &&                                         \
                 QThread::currentThread() == QCoreApplication::instance()->thread(), \
             Q_FUNC_INFO, "a widget-side function ran outside the GUI thread")
