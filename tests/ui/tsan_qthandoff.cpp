// ThreadSanitizer builds only (linked into the UI tests): tells ThreadSanitizer about the one
// synchronisation Qt gives the GUI bridge that it cannot see, instead of suppressing reports.
// A call queued with QMetaObject::invokeMethod(receiver, f, Qt::QueuedConnection) goes through
// Qt's event queue, guarded by Qt's futex-based QMutex (Qt is not instrumented): Qt guarantees
// that everything the posting thread did before posting happens before f runs on the receiver's
// thread, but ThreadSanitizer sees no edge and reports f's captured values as races.
// So: a release on the receiver when a call is queued (wrapping QMetaObject::invokeMethodImpl,
// which the inline invokeMethod templates call through the PLT), and an acquire on the receiver
// when a MetaCall event reaches it (an application-wide event filter). Inside the real
// invokeMethodImpl, Qt allocates and posts its event: those few interceptor calls (operator new,
// the post list) are Qt's own and made after the release, so they are not tracked. Accesses the
// queue does not order (say, the training thread touching a GUI-thread member) are still reported.
#include <dlfcn.h>

#include <QCoreApplication>
#include <QEvent>
#include <QObject>
#include <QThread>
#include <cstdio>
#include <cstdlib>

extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
extern "C" void __tsan_ignore_thread_begin();
extern "C" void __tsan_ignore_thread_end();

bool QMetaObject::invokeMethodImpl(QObject* object, QtPrivate::QSlotObjectBase* slot,
                                   Qt::ConnectionType type, void* ret) {
  using Real = bool (*)(QObject*, QtPrivate::QSlotObjectBase*, Qt::ConnectionType, void*);
  static const Real real = [] {
    void* symbol =
        ::dlsym(RTLD_NEXT,
                "_ZN11QMetaObject16invokeMethodImplEP7QObjectPN9QtPrivate15QSlotObjectBase"
                "EN2Qt14ConnectionTypeEPv");
    if (!symbol) {
      std::fprintf(stderr, "tsan_qthandoff: QMetaObject::invokeMethodImpl not found in QtCore\n");
      std::abort();
    }
    return reinterpret_cast<Real>(symbol);
  }();
  const bool queued = type == Qt::QueuedConnection ||
                      (type == Qt::AutoConnection && object->thread() != QThread::currentThread());
  if (!queued) return real(object, slot, type, ret);  // a direct call: nothing crosses threads
  __tsan_release(object);
  __tsan_ignore_thread_begin();
  const bool posted = real(object, slot, type, ret);
  __tsan_ignore_thread_end();
  return posted;
}

namespace {

class MetaCallAcquire : public QObject {
 public:
  using QObject::QObject;
  bool eventFilter(QObject* watched, QEvent* event) override {
    // The filter sees every event, also those other threads posted without invokeMethod (a
    // QFuture's call-outs from a pool thread): reading their type is Qt's event plumbing, ordered
    // by the same invisible queue mutex, so it is not tracked. What the event carries still is.
    __tsan_ignore_thread_begin();
    const bool metaCall = event->type() == QEvent::MetaCall;
    __tsan_ignore_thread_end();
    if (metaCall) __tsan_acquire(watched);
    return false;
  }
};

void installMetaCallAcquire() { qApp->installEventFilter(new MetaCallAcquire(qApp)); }

}  // namespace

Q_COREAPP_STARTUP_FUNCTION(installMetaCallAcquire)
